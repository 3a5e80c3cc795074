# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run a module's definition and capture what it would hand back to Ansible, by either path a task takes.

* ``run_main``: the module file's ``main()``, as a module process runs it on the target;
* ``run_action``: the action plugin's in-process path (``plugin_utils._in_process.run_task``), as a task on a
  local connection runs it in the controller's worker process.

The ``run`` fixture (tests/unit/plugins/conftest.py) gives a test both, one after the other.
"""

from __future__ import annotations

import contextlib
import importlib
import json
from unittest import mock

from ansible.module_utils import basic
from ansible.module_utils.common import arg_spec

from ansible_collections.volcengine.live.plugins.plugin_utils._in_process import run_task

PATHS = ('module', 'in_process')

try:  # ansible-core 2.19 and later
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core 2.16 - 2.18

    @contextlib.contextmanager
    def patch_module_args(args=None):
        payload = json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}).encode('utf-8')
        with mock.patch.object(basic, '_ANSIBLE_ARGS', payload):
            yield


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super().__init__(result.get('msg', ''))
        self.result = result
        self.failed = failed


def _exit_json(self, **kwargs):
    kwargs.setdefault('changed', False)
    raise ModuleExit(kwargs, failed=False)


def _fail_json(self, msg, **kwargs):
    kwargs['msg'] = msg
    kwargs['failed'] = True
    raise ModuleExit(kwargs, failed=True)


def run(path, definition, args):
    """Return ``(result, failed)`` of one run of ``definition`` with the module arguments ``args`` by ``path``.

    ``_ansible_check_mode``/``_ansible_diff`` in ``args`` stand for the task's check_mode and diff keywords.
    Warnings the module gave are in ``result['warnings']``.
    """
    return (run_action if path == 'in_process' else run_main)(definition, args)


def run_action(definition, args):
    """The action plugin's in-process path for ``definition``."""
    task_args = {key: value for key, value in args.items() if not key.startswith('_ansible_')}
    result = run_task(definition, task_args, bool(args.get('_ansible_check_mode')), bool(args.get('_ansible_diff')))
    return result, bool(result.get('failed'))


def run_main(definition, args):
    """The module file's ``main()`` as a module process runs it (named as a task names it)."""
    main = importlib.import_module('ansible_collections.volcengine.live.plugins.modules.%s' % definition.name).main
    args = dict(args)
    args.setdefault('_ansible_module_name', definition.fqcn)
    warnings = []

    def _warn(self, warning, **kwargs):
        warnings.append(warning)

    with (
        patch_module_args(args),
        mock.patch.object(basic.AnsibleModule, 'exit_json', _exit_json),
        mock.patch.object(basic.AnsibleModule, 'fail_json', _fail_json),
        mock.patch.object(basic.AnsibleModule, 'warn', _warn),
        mock.patch.object(arg_spec, 'warn', warnings.append),
    ):
        try:
            main()
        except ModuleExit as done:
            if warnings:
                done.result['warnings'] = warnings
            return done.result, done.failed
    raise AssertionError('the module returned without calling exit_json or fail_json')
