# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""relay_source end to end in-process, with HTTP mocked at requests.Session."""

from __future__ import annotations

import json

import pytest
import requests

from ansible_collections.volcengine.live.plugins.module_utils import common
from ansible_collections.volcengine.live.plugins.modules import relay_source
from ansible_collections.volcengine.live.tests.unit.plugins.modules.module_harness import run_module

SECRET = 'Sk-Module-Secret-5e8b'
ENV_NAMES = ('VOLCENGINE_ACCESS_KEY', 'VOLCENGINE_SECRET_KEY', 'VOLCENGINE_SESSION_TOKEN', 'VOLCENGINE_REGION',
             'VOLCENGINE_ENDPOINT', 'VOLC_ACCESSKEY', 'VOLC_SECRETKEY')


class FakeResponse:
    def __init__(self, status, payload):
        self.status_code = status
        self.text = payload if isinstance(payload, str) else json.dumps(payload)


class FakeSession:
    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def post(self, url, **kwargs):
        self.calls.append(dict(url=url, **kwargs))
        return self.answers.pop(0)


def ok(task_id='1612000000001', request_id='rid-ok'):
    return FakeResponse(200, {'ResponseMetadata': {'RequestId': request_id, 'Action': 'CreateRelaySourceV4',
                                                   'Version': '2023-01-01', 'Service': 'live',
                                                   'Region': 'cn-north-1'},
                              'Result': {'TaskId': task_id}})


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def http(monkeypatch):
    """Install a fake requests.Session; ``http.answers`` is what it replies, ``http.calls`` what it got."""
    session = FakeSession([])
    monkeypatch.setattr(requests, 'Session', lambda: session)
    return session


def args(**overrides):
    base = dict(domain='pull.example.com', app='live', stream='match-42',
                src_addrs=['rtmp://origin-a.example.com/live/match-42'],
                access_key='AKLTmodule', secret_key=SECRET)
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def test_create_returns_task_id(http):
    http.answers.append(ok())
    result, failed = run_module(relay_source.main, args(domain='PULL.Example.com',
                                                        start_time='2026-12-31T20:00:00+08:00',
                                                        end_time=1798740000))
    assert not failed
    assert result['changed'] is True
    assert result['task_id'] == '1612000000001'
    assert result['request_id'] == 'rid-ok'
    assert result['relay_source'] == {
        'domain': 'pull.example.com', 'app': 'live', 'stream': 'match-42',
        'src_addrs': ['rtmp://origin-a.example.com/live/match-42'],
        'start_time': 1798718400, 'end_time': 1798740000,
    }
    (call,) = http.calls
    assert 'Action=CreateRelaySourceV4' in call['url']
    assert json.loads(call['data']) == {
        'Domain': 'pull.example.com', 'App': 'live', 'Stream': 'match-42',
        'SrcAddrS': ['rtmp://origin-a.example.com/live/match-42'], 'StartTime': 1798718400, 'EndTime': 1798740000,
    }
    assert call['timeout'] == 30


def test_check_mode_sends_nothing(http):
    result, failed = run_module(relay_source.main, dict(args(), _ansible_check_mode=True))
    assert not failed
    assert result['changed'] is True
    assert result['task_id'] is None and result['request_id'] is None
    assert http.calls == []


def test_check_mode_without_credentials_still_validates(http):
    result, failed = run_module(relay_source.main, dict(args(access_key=None, secret_key=None),
                                                        _ansible_check_mode=True))
    assert not failed and http.calls == []
    result, failed = run_module(relay_source.main, dict(args(access_key=None, secret_key=None, app='bad/app'),
                                                        _ansible_check_mode=True))
    assert failed and result['msg'].startswith('app: ')


@pytest.mark.parametrize('overrides, option', [
    (dict(domain='not a domain'), 'domain'),
    (dict(app='a' * 31), 'app'),
    (dict(stream='bad stream'), 'stream'),
    (dict(src_addrs=[]), 'src_addrs'),
    (dict(src_addrs=['ftp://origin.example.com/x']), 'src_addrs'),
    (dict(src_addrs=['rtmp://o%d.example.com/l/s' % i for i in range(11)]), 'src_addrs'),
    (dict(start_time=1767182400), 'end_time'),
    (dict(end_time=1767182400), 'start_time'),
    (dict(start_time=1767182400, end_time=1767182400), 'end_time'),
    (dict(start_time=1767182400, end_time=1767182400 + 7 * 86400 + 1), 'end_time'),
    (dict(start_time='2026-12-31T20:00:00', end_time='2027-01-01T20:00:00+08:00'), 'start_time'),
])
def test_invalid_parameters_fail_before_any_request(http, overrides, option):
    result, failed = run_module(relay_source.main, args(**overrides))
    assert failed
    assert result['msg'].startswith(option + ': ')
    assert result['option'] == option
    assert http.calls == []


@pytest.mark.parametrize('overrides, message', [
    (dict(endpoint='live.volcengineapi.com'), 'endpoint must be an http:// or https:// URL'),
    (dict(region=''), 'region must not be empty'),
    (dict(timeout=0), 'timeout must be a positive number'),
])
def test_invalid_connection_options_fail_before_any_request(http, overrides, message):
    for check_mode in (False, True):
        result, failed = run_module(relay_source.main, dict(args(**overrides), _ansible_check_mode=check_mode))
        assert failed and message in result['msg']
    assert http.calls == []


def test_missing_credentials_name_the_environment_variables(http):
    result, failed = run_module(relay_source.main, args(access_key=None, secret_key=None))
    assert failed
    assert 'access_key is required' in result['msg'] and 'VOLCENGINE_ACCESS_KEY' in result['msg']
    assert 'secret_key is required' in result['msg'] and 'VOLCENGINE_SECRET_KEY' in result['msg']
    assert http.calls == []


def test_credentials_and_endpoint_from_the_environment(http, monkeypatch):
    monkeypatch.setenv('VOLCENGINE_ACCESS_KEY', 'AKLTenv')
    monkeypatch.setenv('VOLCENGINE_SECRET_KEY', SECRET)
    monkeypatch.setenv('VOLCENGINE_SESSION_TOKEN', 'sts-token-env')
    monkeypatch.setenv('VOLCENGINE_REGION', 'cn-shanghai')
    monkeypatch.setenv('VOLCENGINE_ENDPOINT', 'http://127.0.0.1:18080')
    http.answers.append(ok())
    result, failed = run_module(relay_source.main, args(access_key=None, secret_key=None))
    assert not failed
    (call,) = http.calls
    assert call['url'].startswith('http://127.0.0.1:18080/?')
    assert 'Credential=AKLTenv/' in call['headers']['Authorization']
    assert '/cn-shanghai/live/request' in call['headers']['Authorization']
    assert call['headers']['X-Security-Token'] == 'sts-token-env'


def test_sdk_environment_variables_are_the_last_fallback(http, monkeypatch):
    monkeypatch.setenv('VOLC_ACCESSKEY', 'AKLTsdk')
    monkeypatch.setenv('VOLC_SECRETKEY', SECRET)
    http.answers.append(ok())
    result, failed = run_module(relay_source.main, args(access_key=None, secret_key=None))
    assert not failed
    assert 'Credential=AKLTsdk/' in http.calls[0]['headers']['Authorization']

    monkeypatch.setenv('VOLCENGINE_ACCESS_KEY', 'AKLTpreferred')
    http.answers.append(ok())
    run_module(relay_source.main, args(access_key=None, secret_key=None))
    assert 'Credential=AKLTpreferred/' in http.calls[1]['headers']['Authorization']


def test_api_error_fails_with_code_and_request_id(http):
    http.answers.append(FakeResponse(403, {
        'ResponseMetadata': {'RequestId': 'rid-forbidden', 'Action': 'CreateRelaySourceV4', 'Version': '2023-01-01',
                             'Service': 'live', 'Region': 'cn-north-1',
                             'Error': {'Code': 'RequestForbidden.AccountIDNotAllow', 'Message': 'no such domain'}}}))
    result, failed = run_module(relay_source.main, args())
    assert failed
    assert result['request_id'] == 'rid-forbidden'
    assert result['error']['code'] == 'RequestForbidden.AccountIDNotAllow'
    assert result['error']['http_status'] == 403
    assert 'RequestId: rid-forbidden' in result['msg']
    assert SECRET not in json.dumps(result)


def test_missing_requests_library(monkeypatch, http):
    monkeypatch.setattr(common, 'import_requests', lambda: (None, 'Traceback: No module named requests'))
    result, failed = run_module(relay_source.main, args())
    assert failed
    assert 'requests' in result['msg'] and 'Failed to import the required Python library' in result['msg']
    assert http.calls == []


def test_secrets_are_no_log():
    spec = relay_source.argument_spec()
    assert spec['secret_key']['no_log'] is True
    assert spec['session_token']['no_log'] is True
