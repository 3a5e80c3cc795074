# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The in-process adapter: on which ansible-core it runs, and that it hands back what AnsibleModule printed."""

from __future__ import annotations

import json
import sys

import pytest
from ansible.module_utils import basic

from ansible_collections.volcengine.live.plugins.module_utils._core.module import ModuleDefinition
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
    reason = _in_process.unsupported_reason('2.18.0', WithHook, None)
    assert (
        reason == 'ansible-core 2.18.0 has no ansible.module_utils.testing.patch_module_args (2.19 and later have it)'
    )


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
    stdout, stderr, rc = _in_process.run_in_worker(
        _definition(lambda params, check_mode, diff, warn: {'changed': True, 'name': params['name']}),
        {'name': 'probe-1', '_ansible_module_name': 'volcengine.live.probe'},
    )
    assert stdout.startswith('\n') and (stderr, rc) == ('', 0)
    result = json.loads(stdout)
    assert result['changed'] is True and result['name'] == 'probe-1'


@needs_hook
def test_validation_fails_as_the_module_would():
    stdout, _stderr, rc = _in_process.run_in_worker(
        _definition(lambda *args: pytest.fail('run despite invalid arguments')),
        {'name': 'x', 'colour': 'blue', '_ansible_module_name': 'volcengine.live.probe'},
    )
    result = json.loads(stdout)
    assert rc == 1 and result['failed'] is True
    assert result['msg'].startswith('Unsupported parameters for (volcengine.live.probe) module: colour.')


@needs_hook
def test_what_the_module_writes_to_standard_error_is_kept_apart():
    def run(params, check_mode, diff, warn):
        sys.stderr.write('a library complains\n')
        return {'changed': False}

    stdout, stderr, rc = _in_process.run_in_worker(_definition(run), {'name': 'x'})
    assert json.loads(stdout)['changed'] is False and stderr == 'a library complains\n' and rc == 0


@needs_hook
def test_an_exception_is_a_traceback_and_status_1_as_in_a_module_process():
    def run(params, check_mode, diff, warn):
        raise KeyError('a bug')

    stdout, stderr, rc = _in_process.run_in_worker(_definition(run), {'name': 'x'})
    assert (stdout, rc) == ('', 1) and "KeyError: 'a bug'" in stderr


@needs_hook
def test_a_module_that_never_exits_leaves_no_result(monkeypatch):
    monkeypatch.setattr(_in_process, 'run_as_module', lambda definition, module_class: None)
    assert _in_process.run_in_worker(_definition(None), {'name': 'x'}) == ('', '', 0)
