# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The in-process adapter: on which ansible-core it runs, and that it hands back what AnsibleModule printed."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils import basic

from ansible_collections.volcengine.live.plugins.module_utils._module import ModuleDefinition
from ansible_collections.volcengine.live.plugins.plugin_utils import _in_process


class WithHook:
    def _record_module_result(self, o):
        pass


class WithoutHook:
    pass


def patcher(args):
    raise AssertionError('not called')


@pytest.mark.parametrize(
    'version, series', [('2.16.19', (2, 16)), ('2.22.0rc1', (2, 22)), ('2.22.0', (2, 22)), ('3.0.0b2', (3, 0))]
)
def test_series_of_a_version(version, series):
    assert _in_process._series(version) == series


@pytest.mark.parametrize('version', ['2.19.1', '2.21.5', '2.22.0rc1', '2.22.7'])
def test_a_tested_core_with_the_hook_runs_in_process(version):
    assert _in_process.unsupported_reason(version, WithHook, patcher) is None


def test_a_core_without_the_hook_runs_module_processes():
    reason = _in_process.unsupported_reason('2.18.19', WithoutHook, patcher)
    assert reason == 'ansible-core 2.18.19 has no AnsibleModule._record_module_result hook (2.19.1 and later have it)'


def test_a_core_without_patch_module_args_runs_module_processes():
    assert 'has no AnsibleModule._record_module_result hook' in _in_process.unsupported_reason('2.18.0', WithHook, None)


@pytest.mark.parametrize('version', ['2.23.0', '2.23.0b1', '3.0.0'])
def test_a_core_newer_than_the_newest_tested_series_runs_module_processes(version):
    reason = _in_process.unsupported_reason(version, WithHook, patcher)
    assert reason == 'ansible-core %s is newer than the newest series this collection is tested with (2.22)' % version


def test_the_running_core_is_judged_by_its_hook():
    has_hook = callable(getattr(basic.AnsibleModule, '_record_module_result', None))
    assert (_in_process.unsupported_reason() is None) is has_hook


needs_hook = pytest.mark.skipif(_in_process.unsupported_reason() is not None, reason='no in-process path here')


def _definition(run):
    return ModuleDefinition('probe', {'name': {'type': 'str', 'required': True}}, run)


@needs_hook
def test_the_result_is_what_the_module_would_print():
    printed = _in_process.run_in_worker(
        _definition(lambda params, check_mode, diff, warn: {'changed': True, 'name': params['name']}),
        {'name': 'probe-1', '_ansible_module_name': 'volcengine.live.probe'},
    )
    assert printed.startswith('\n')
    result = json.loads(printed)
    assert result['changed'] is True and result['name'] == 'probe-1'


@needs_hook
def test_validation_fails_as_the_module_would():
    result = json.loads(
        _in_process.run_in_worker(
            _definition(lambda *args: pytest.fail('run despite invalid arguments')),
            {'colour': 'blue', '_ansible_module_name': 'volcengine.live.probe'},
        )
    )
    assert result['failed'] is True
    assert result['msg'].startswith('missing required arguments: name') or 'Unsupported parameters' in result['msg']


@needs_hook
def test_a_module_that_never_exits_is_an_error(monkeypatch):
    monkeypatch.setattr(_in_process, 'run_as_module', lambda definition, module_class: None)
    with pytest.raises(_in_process.ModuleDidNotExit, match='volcengine.live.probe returned without a result'):
        _in_process.run_in_worker(_definition(None), {'name': 'x'})
