# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module's definition and capture what it would hand back to Ansible, by either path a task takes.

Both paths run ansible-core's real ``AnsibleModule``, with nothing of it patched:

* ``run_main``: the module file's ``main()`` as a module process runs it; what it prints is its result;
* ``run_action``: the action plugin's in-process path (``plugin_utils._in_process.run_in_worker``), which keeps
  what the module would have printed. On an ansible-core where that path does not run (before 2.19.1), a test
  of it is skipped: the action plugin runs a module process there.

The ``run`` fixture (tests/unit/plugins/conftest.py) gives a test both, one after the other.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
from unittest import mock

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings

from ansible_collections.volcengine.live.plugins.plugin_utils._in_process import run_in_worker, unsupported_reason

PATHS = ('module', 'in_process')

# ansible-core 2.21 and later pass _ansible_inject_invocation (INJECT_INVOCATION, off by default); before that,
# every result carried invocation, and the key is unknown to AnsibleModule.
HAS_INJECT_INVOCATION = 'inject_invocation' in basic.PASS_VARS
try:  # ansible-core 2.22 and later
    from ansible.module_utils.secrets import mask_secrets
except ImportError:
    mask_secrets = None

try:  # ansible-core 2.19 and later
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core 2.16 - 2.18

    @contextlib.contextmanager
    def patch_module_args(args=None):
        payload = json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}).encode('utf-8')
        with mock.patch.object(basic, '_ANSIBLE_ARGS', payload):
            yield


def module_args(definition, args, inject_invocation=False):
    """``args`` with the internal keys a task gives every module: its name, and INJECT_INVOCATION where it exists.

    ``_ansible_check_mode``/``_ansible_diff`` in ``args`` stand for the task's check_mode and diff keywords.
    """
    args = dict(args)
    args.setdefault('_ansible_module_name', definition.fqcn)
    if HAS_INJECT_INVOCATION:
        args.setdefault('_ansible_inject_invocation', inject_invocation)
    return args


def parse(printed):
    """``(result, failed)`` from what a module printed, as the controller keeps it: warnings and deprecations as
    their messages, and without ``_ansible_new_secrets``, which the controller takes out (see :func:`masks`)."""
    result = json.loads(printed)
    result.pop('_ansible_new_secrets', None)
    for key in ('warnings', 'deprecations'):
        if key in result:
            result[key] = [_message(item) for item in result[key]]
    return result, bool(result.get('failed'))


def _message(item):
    if isinstance(item, dict):
        return item['event']['msg'] if 'event' in item else item.get('msg')
    return item


@contextlib.contextmanager
def fresh_process():
    """What a new module process starts with: no warnings or deprecations recorded by an earlier module."""
    for recorded in (module_warnings._global_warnings, module_warnings._global_deprecations):
        recorded.clear()
    yield


def run(path, definition, args):
    """Return ``(result, failed)`` of one run of ``definition`` with the module arguments ``args`` by ``path``."""
    return (run_action if path == 'in_process' else run_main)(definition, args)


def run_action(definition, args, inject_invocation=False):
    """The action plugin's in-process path for ``definition``."""
    reason = unsupported_reason()
    if reason:
        pytest.skip('the in-process path does not run here: %s' % reason)
    with fresh_process():
        stdout, _stderr, _rc = run_in_worker(definition, module_args(definition, args, inject_invocation))
    return parse(stdout)


def run_main(definition, args, inject_invocation=False):
    """The module file's ``main()`` as a module process runs it."""
    main = importlib.import_module('ansible_collections.volcengine.live.plugins.modules.%s' % definition.name).main
    printed = io.StringIO()
    with (
        fresh_process(),
        patch_module_args(module_args(definition, args, inject_invocation)),
        contextlib.redirect_stdout(printed),
    ):
        try:
            main()
        except SystemExit:
            pass
        else:
            raise AssertionError('the module returned without calling exit_json or fail_json')
    return parse(printed.getvalue())


def masks(result, *secrets):
    """Whether ``secrets`` stay hidden wherever ansible-core shows the module result ``result``.

    Up to 2.21, AnsibleModule masks no_log values in the result itself. From 2.22 it leaves them in the result and
    registers them with the process's secret masker (a module process reports them as ``_ansible_new_secrets``, which
    the controller registers), and the controller masks them wherever the result is shown.
    """
    text = json.dumps(result)
    if mask_secrets is not None:
        text = mask_secrets(text)
    return all(secret not in text for secret in secrets)
