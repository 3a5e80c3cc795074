# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action plugins: which path a task takes, and what each path hands back."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from ansible import constants as C
from ansible.errors import AnsibleActionFail

from ansible_collections.volcengine.live.plugins.action.relay_source import ActionModule as RelaySourceAction
from ansible_collections.volcengine.live.plugins.action.relay_source_info import ActionModule as RelaySourceInfoAction
from ansible_collections.volcengine.live.plugins.plugin_utils import _action as live_action
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import stored

SECRET = 'Sk-Action-Secret-3f1d'
ARGS = dict(
    domain='pull.example.com',
    app='live',
    stream='match-42',
    src_addrs=['rtmp://origin-a.example.com/live/match-42'],
    access_key='AKLTaction',
    secret_key=SECRET,
    retry_max_delay=0,
    rate_limit=0,
)
MODULE_RESULT = {'changed': False, 'relay_source': 'from the module process'}


def make(  # noqa: PLR0913 - every input of the action plugin that a test varies
    cls=RelaySourceAction,
    args=None,
    transport='local',
    become=False,
    async_val=0,
    environment=None,
    check_mode=False,
    diff=False,
):
    task = mock.MagicMock()
    task.args = dict(ARGS if args is None else args)
    task.action = 'volcengine.live.relay_source'
    task.async_val = async_val
    task.check_mode = check_mode
    task.diff = diff
    task.environment = environment
    task.no_log = False
    connection = mock.MagicMock()
    connection.transport = transport
    connection.has_native_async = False
    connection.become = None
    connection.socket_path = None
    connection._shell.tmpdir = None
    connection._shell.get_option.side_effect = KeyError
    play_context = mock.MagicMock()
    play_context.become = become
    play_context.remote_addr = 'localhost'
    play_context.executable = '/bin/sh'
    templar = mock.MagicMock()
    templar.template.side_effect = lambda value: value
    plugin = cls(task, connection, play_context, loader=None, templar=templar, shared_loader_obj=None)
    plugin._execute_module = mock.MagicMock(return_value=dict(MODULE_RESULT))
    plugin._remove_tmp_path = mock.MagicMock()
    return plugin


# --- which path --------------------------------------------------------------------------

IN_PROCESS = dict(transport='local', become=False, async_val=0, environment=None, in_process=True, have_requests=True)


@pytest.mark.parametrize('transport', ['local', 'ansible.builtin.local', 'ansible.legacy.local'])
def test_a_plain_local_task_runs_in_process(transport):
    conditions = dict(IN_PROCESS)
    conditions['transport'] = transport
    assert live_action.module_process_reason(**conditions) is None


@pytest.mark.parametrize(
    'change, reason',
    [
        (dict(transport='ssh'), 'the connection is ssh, not local'),
        (dict(transport='community.docker.docker'), 'not local'),
        (dict(transport=None), 'not local'),
        (dict(become=True), 'become is set'),
        (dict(async_val=30), 'the task is async'),
        (dict(environment={'HTTPS_PROXY': 'http://proxy:3128'}), 'environment'),
        (dict(environment=[{}, {'NO_PROXY': '*'}]), 'environment'),
        (dict(environment='{{ proxy_env }}'), 'environment'),
        (dict(in_process=False), 'volcengine_live_in_process is false'),
        (dict(have_requests=False), 'requests is missing on the controller'),
        (
            dict(core_unsupported='ansible-core 2.18.19 has no AnsibleModule._record_module_result hook'),
            'ansible-core 2.18.19 has no AnsibleModule._record_module_result hook',
        ),
    ],
)
def test_anything_else_runs_a_module_process(change, reason):
    assert reason in live_action.module_process_reason(**dict(IN_PROCESS, **change))


@pytest.mark.parametrize(
    'environment, is_set',
    [
        (None, False),
        ({}, False),
        ([], False),
        ([{}, None, {}], False),
        ({'A': '1'}, True),
        ([{}, {'A': '1'}], True),
        ('{{ env }}', True),
    ],
)
def test_environment_is_set(environment, is_set):
    assert live_action.environment_is_set(environment) is is_set


# --- the in-process path -----------------------------------------------------------------


def shown(result):
    """The result as ansible-core shows it: from 2.22 the controller masks the secrets a module reported."""
    text = json.dumps(result)
    try:
        from ansible.module_utils.secrets import mask_secrets
    except ImportError:  # ansible-core 2.21 and earlier: AnsibleModule masked them in the result
        return text
    return mask_secrets(text)


needs_in_process = pytest.mark.skipif(
    live_action.unsupported_reason() is not None, reason='this ansible-core runs module processes'
)


@needs_in_process
def test_local_task_runs_in_process_and_masks_secrets(http):
    plugin = make()
    result = plugin.run(task_vars={})
    plugin._execute_module.assert_not_called()
    assert result['changed'] is True and result['task_id'] == '1612000000001'
    assert http.actions() == ['ListRelaySourceV4', 'CreateRelaySourceV4']
    assert SECRET not in shown(result)
    # What _execute_module leaves of the internal keys: _ansible_parsed, on 2.19 and 2.20 (as for a module process).
    assert not any(key.startswith('_ansible_') and key != '_ansible_parsed' for key in result)


# ansible-core 2.21 added INJECT_INVOCATION (off by default); before it, every module result carried invocation.
CORE_HAS_INJECT_SETTING = C.config.get_configuration_definition('INJECT_INVOCATION') is not None


@needs_in_process
@pytest.mark.parametrize('setting', [None, True, False])
def test_invocation_is_returned_as_a_module_process_returns_it(http, setting):
    task_vars = {} if setting is None else {'ansible_inject_invocation': setting}
    result = make().run(task_vars=task_vars)
    expected = bool(setting) if CORE_HAS_INJECT_SETTING else True
    assert ('invocation' in result) is expected
    if expected:
        module_args = result['invocation']['module_args']
        assert module_args['stream'] == 'match-42'
        assert not any(key.startswith('_ansible_') for key in module_args)
    assert SECRET not in shown(result)


@needs_in_process
def test_check_mode_and_diff_come_from_the_task(http):
    http.configs.append(stored())
    result = make(
        args=dict(ARGS, src_addrs=['rtmp://origin-b.example.com/live/match-42']), check_mode=True, diff=True
    ).run(task_vars={})
    assert result['changed'] is True
    assert http.actions() == ['ListRelaySourceV4']
    assert result['diff']['before']['src_addrs'] == ['rtmp://origin-a.example.com/live/match-42']
    assert result['diff']['after']['src_addrs'] == ['rtmp://origin-b.example.com/live/match-42']


@needs_in_process
def test_invalid_arguments_fail_in_process_without_a_request(http):
    result = make(args=dict(ARGS, colour='blue')).run(task_vars={})
    assert result['failed'] is True
    assert result['msg'].startswith('Unsupported parameters for (volcengine.live.relay_source) module: colour')
    assert http.calls == []


@needs_in_process
def test_credentials_fall_back_to_the_controller_environment(http, monkeypatch):
    monkeypatch.setenv('VOLCENGINE_ACCESS_KEY', 'AKLTenv')
    monkeypatch.setenv('VOLCENGINE_SECRET_KEY', SECRET)
    args = {key: value for key, value in ARGS.items() if key not in ('access_key', 'secret_key')}
    result = make(args=args).run(task_vars={})
    assert result['changed'] is True and SECRET not in shown(result)
    assert 'AKLTenv' in http.calls[0]['headers']['Authorization']


@needs_in_process
def test_info_runs_in_process(http):
    http.configs.append(stored())
    args = {key: value for key, value in ARGS.items() if key != 'src_addrs'}
    result = make(cls=RelaySourceInfoAction, args=args).run(task_vars={})
    assert result['changed'] is False and [item['stream'] for item in result['relay_sources']] == ['match-42']


# --- the module path ---------------------------------------------------------------------


@pytest.mark.parametrize(
    'kwargs, task_vars',
    [
        (dict(transport='ssh'), {}),
        (dict(become=True), {}),
        (dict(environment=[{'HTTPS_PROXY': 'http://proxy:3128'}]), {}),
        ({}, {'volcengine_live_in_process': 'no'}),
        ({}, {'volcengine_live_in_process': False}),
    ],
)
def test_other_tasks_run_the_module(http, kwargs, task_vars):
    plugin = make(**kwargs)
    result = plugin.run(task_vars=task_vars)
    plugin._execute_module.assert_called_once_with(task_vars=task_vars, wrap_async=0)
    plugin._remove_tmp_path.assert_called_once()
    assert result['relay_source'] == 'from the module process'
    assert http.calls == []


def test_a_variable_that_is_no_boolean_fails_cleanly(http):
    plugin = make()
    with pytest.raises(AnsibleActionFail, match="volcengine_live_in_process must be a boolean, got 'sometimes'"):
        plugin.run(task_vars={'volcengine_live_in_process': 'sometimes'})
    plugin._execute_module.assert_not_called()
    assert http.calls == []


def test_async_runs_the_module_wrapped(http):
    plugin = make(async_val=30)
    plugin.run(task_vars={})
    plugin._execute_module.assert_called_once_with(task_vars={}, wrap_async=True)
    plugin._remove_tmp_path.assert_not_called()


def test_without_requests_on_the_controller_the_module_runs(http, monkeypatch):
    monkeypatch.setattr(live_action, 'HAVE_REQUESTS', False)
    plugin = make()
    plugin.run(task_vars={})
    plugin._execute_module.assert_called_once()
    assert http.calls == []


def test_an_ansible_core_that_lacks_what_in_process_needs_runs_the_module(http, monkeypatch):
    monkeypatch.setattr(live_action, 'unsupported_reason', lambda: 'ansible-core 2.23.0 is newer than the newest')
    plugin = make()
    with mock.patch.object(live_action.display, 'vvv') as vvv:
        plugin.run(task_vars={})
    plugin._execute_module.assert_called_once()
    assert http.calls == []
    assert vvv.call_args[0][0].endswith('runs as a module process: ansible-core 2.23.0 is newer than the newest')
