# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Run a module in Ansible's worker process with ansible-core's own ``AnsibleModule``.

Controller-only: the action plugins import this; no module payload ever carries it.

Nothing of a module process is re-implemented here. The module's own ``main`` path
(:func:`~ansible_collections.volcengine.live.plugins.module_utils._core.module.run_as_module`) runs with a subclass of
core's ``AnsibleModule`` that differs in one method only: ``_record_module_result``, the hook ansible-core keeps
for running modules inside the worker (ansible.netcommon uses it), whose output is kept instead of printed.
Everything else is core's:

* the arguments reach ``AnsibleModule`` as a module process gets them: the action plugin adds the internal
  ``_ansible_*`` keys with ``ActionBase._update_module_args``, and ``ansible.module_utils.testing.patch_module_args``
  hands them over JSON-encoded with the module's serialization profile;
* ``AnsibleModule`` validates them, fails, warns, deprecates, masks (or, from 2.22, reports the secrets it saw) and
  echoes the invocation as the running ansible-core does;
* ``AnsibleModule._record_module_result`` serializes the result as it would for standard output, and the action
  plugin parses that text (with what went to standard error, and the exit status) with
  ``ActionBase._parse_returned_data``, as it parses a module process's output.

:func:`unsupported_reason` says when this cannot be trusted: an ansible-core without the hook (before 2.19.1), or
one newer than the newest series the collection is tested with. The action plugin then runs a module process,
slower but never different.
"""

from __future__ import annotations

import contextlib
import io
import traceback

from ansible.module_utils import basic
from ansible.module_utils.ansible_release import __version__ as ANSIBLE_VERSION

from ansible_collections.volcengine.live.plugins.module_utils._core.module import run_as_module

try:  # ansible-core 2.19 and later
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # pragma: no cover - the older cores run module processes
    patch_module_args = None

# The newest ansible-core series the collection is tested with (tools/lib.sh SERIES). A newer core runs module
# processes until it is tested too.
NEWEST_TESTED_SERIES = (2, 22)

# The serialization profile of the collection's modules: they declare none, so ansible-core uses 'legacy'.
SERIALIZATION_PROFILE = 'legacy'


def _series(version):
    """(major, minor) of an ansible-core version string such as ``2.22.0rc1``."""
    major, minor = version.split('.')[:2]
    return int(major), int(''.join(char for char in minor if char.isdigit()) or 0)


def unsupported_reason(core_version=ANSIBLE_VERSION, module_class=basic.AnsibleModule, patcher=patch_module_args):
    """Why modules cannot run in the worker process on this ansible-core, or None. Pure."""
    if not callable(getattr(module_class, '_record_module_result', None)):
        return 'ansible-core %s has no AnsibleModule._record_module_result hook (2.19.1 and later have it)' % (
            core_version
        )
    if patcher is None:
        return 'ansible-core %s has no ansible.module_utils.testing.patch_module_args (2.19 and later have it)' % (
            core_version
        )
    if _series(core_version) > NEWEST_TESTED_SERIES:
        return 'ansible-core %s is newer than the newest series this collection is tested with (%d.%d)' % (
            (core_version,) + NEWEST_TESTED_SERIES
        )
    return None


def run_in_worker(definition, module_args):
    """Run ``definition`` as its module file's ``main`` would, with ``module_args`` as a module process gets them.

    ``module_args`` holds the task's arguments and the internal ``_ansible_*`` keys. Returns ``(stdout, stderr,
    rc)`` as a module process would leave them: core's own ``_record_module_result`` writes the result, into a
    buffer instead of standard output; what the module's code writes to standard error (a Python warning, for
    example) is kept apart, as a module process's is; an exception that escapes the module's code is its
    traceback on standard error with the status 1, as the interpreter of a module process would leave it.
    """
    printed = []
    errors = io.StringIO()

    class WorkerModule(basic.AnsibleModule):
        """Core's AnsibleModule, whose result is kept instead of printed."""

        def _record_module_result(self, o):
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                super()._record_module_result(o)
            printed.append(buffer.getvalue())

    rc = 0
    with patch_module_args(module_args), contextlib.redirect_stderr(errors):
        try:
            run_as_module(definition, WorkerModule)
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        except Exception:  # pylint: disable=broad-exception-caught
            traceback.print_exc(file=errors)
            rc = 1
    return (printed[-1] if printed else ''), errors.getvalue(), rc
