# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""relay_source end to end in-process, with HTTP mocked at requests.Session."""

from __future__ import annotations

import time

import pytest
import requests

from ansible_collections.volcengine.live.plugins.module_utils._core import connection as _connection
from ansible_collections.volcengine.live.plugins.modules.relay_source import DEFINITION
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import envelope, stored
from ansible_collections.volcengine.live.tests.unit.helpers.harness import masks

SECRET = 'Sk-Module-Secret-5e8b'


def args(**overrides):
    base = dict(
        domain='pull.example.com',
        app='live',
        stream='match-42',
        src_addrs=['rtmp://origin-a.example.com/live/match-42'],
        access_key='AKLTmodule',
        secret_key=SECRET,
        retry_max_delay=0,
        rate_limit=0,
    )
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def test_create_returns_task_id(run, http):
    result, failed = run(
        DEFINITION, args(domain='PULL.Example.com', start_time='2036-12-31T20:00:00+08:00', end_time=2114359200)
    )
    assert not failed
    assert result['changed'] is True
    assert result['task_id'] == '1612000000001'
    assert result['request_id'] == 'rid-create'
    assert result['relay_source'] == {
        'domain': 'pull.example.com',
        'app': 'live',
        'stream': 'match-42',
        'src_addrs': ['rtmp://origin-a.example.com/live/match-42'],
        'start_time': 2114337600,
        'start_time_iso': '2036-12-31T20:00:00+08:00',  # in the offset the play wrote its window in
        'end_time': 2114359200,
        'end_time_iso': '2037-01-01T02:00:00+08:00',
    }
    assert http.actions() == ['ListRelaySourceV4', 'CreateRelaySourceV4']
    assert http.calls[0]['body'] == {'Domain': 'pull.example.com', 'Page': 1, 'Size': 500}
    call = http.calls[1]
    assert call['body'] == {
        'Domain': 'pull.example.com',
        'App': 'live',
        'Stream': 'match-42',
        'SrcAddrS': ['rtmp://origin-a.example.com/live/match-42'],
        'StartTime': 2114337600,
        'EndTime': 2114359200,
    }
    assert call['timeout'] == (15, 30)  # (connect_timeout, timeout): each attempt's waits


def test_check_mode_only_reads(run, http):
    result, failed = run(DEFINITION, dict(args(), _ansible_check_mode=True))
    assert not failed
    assert result['changed'] is True
    assert result['task_id'] is None and result['request_id'] is None
    assert http.actions() == ['ListRelaySourceV4']
    assert http.configs == []


def test_check_mode_without_credentials_still_validates(run, http):
    result, failed = run(DEFINITION, dict(args(access_key=None, secret_key=None), _ansible_check_mode=True))
    assert not failed and http.calls == []
    assert result['changed'] is True
    assert 'could not look up the current state' in result['warnings'][0]
    result, failed = run(
        DEFINITION, dict(args(access_key=None, secret_key=None, app='bad/app'), _ansible_check_mode=True)
    )
    assert failed and result['msg'].startswith('app: ')


@pytest.mark.parametrize(
    'overrides, option',
    [
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
        (dict(start_time='2036-12-31T20:00:00', end_time='2037-01-01T20:00:00+08:00'), 'start_time'),
        (dict(start_time=2147483000, end_time=2147483648), 'end_time'),
        (dict(start_time='2038-01-19T03:14:08Z', end_time='2038-01-20T00:00:00Z'), 'start_time'),
    ],
)
def test_invalid_parameters_fail_before_any_request(run, http, overrides, option):
    result, failed = run(DEFINITION, args(**overrides))
    assert failed
    assert result['msg'].startswith(option + ': ')
    assert result['option'] == option
    assert http.calls == []


@pytest.mark.parametrize(
    'overrides, message',
    [
        (dict(endpoint='live.volcengineapi.com'), 'endpoint must be an http:// or https:// URL'),
        (dict(region=''), 'region must not be empty'),
        (dict(timeout=0), 'timeout must be a positive number'),
        (dict(endpoint='http://live.volcengineapi.com'), 'Use an https:// endpoint, or set allow_insecure_http: true'),
        (
            dict(endpoint='http://10.1.2.3:8080', allow_insecure_http=True, session_token='sts-token-x'),
            'session_token is never sent over plain http',
        ),
    ],
)
def test_invalid_connection_options_fail_before_any_request(run, http, overrides, message):
    for check_mode in (False, True):
        result, failed = run(DEFINITION, dict(args(**overrides), _ansible_check_mode=check_mode))
        assert failed and message in result['msg']
    assert http.calls == []


def test_the_last_32_bit_time_is_sent(run, http):
    result, failed = run(DEFINITION, args(start_time=2147483000, end_time='2038-01-19T03:14:07Z'))
    assert not failed
    assert http.calls[-1]['body']['EndTime'] == 2147483647


def test_plain_http_to_another_host_when_asked_for_warns(run, http):
    result, failed = run(DEFINITION, args(endpoint='http://10.1.2.3:8080', allow_insecure_http=True))
    assert not failed
    assert http.calls[-1]['url'].startswith('http://10.1.2.3:8080/?')
    assert 'X-Security-Token' not in http.calls[-1]['headers']
    (warning,) = result['warnings']
    assert 'allow_insecure_http is true' in warning and 'unencrypted' in warning


@pytest.mark.parametrize('endpoint', ['http://127.0.0.1:18080', 'http://localhost:18080', 'http://[::1]:18080'])
def test_plain_http_on_this_machine_needs_nothing_and_warns_nothing(run, http, endpoint):
    result, failed = run(DEFINITION, args(endpoint=endpoint, session_token='sts-token-x'))
    assert not failed and 'warnings' not in result
    assert http.calls[-1]['headers']['X-Security-Token'] == 'sts-token-x'


def test_validate_certs_false_warns(run, http):
    for check_mode in (False, True):
        result, failed = run(DEFINITION, dict(args(validate_certs=False), _ansible_check_mode=check_mode))
        assert not failed
        (warning,) = result['warnings']
        assert 'validate_certs is false' in warning and 'https://live.volcengineapi.com' in warning
    assert http.calls[-1]['verify'] is False


def test_missing_credentials_name_the_environment_variables(run, http):
    result, failed = run(DEFINITION, args(access_key=None, secret_key=None))
    assert failed
    assert 'access_key is required' in result['msg'] and 'VOLCENGINE_ACCESS_KEY' in result['msg']
    assert 'secret_key is required' in result['msg'] and 'VOLCENGINE_SECRET_KEY' in result['msg']
    assert http.calls == []


def test_credentials_and_endpoint_from_the_environment(run, http, monkeypatch):
    monkeypatch.setenv('VOLCENGINE_ACCESS_KEY', 'AKLTenv')
    monkeypatch.setenv('VOLCENGINE_SECRET_KEY', SECRET)
    monkeypatch.setenv('VOLCENGINE_SESSION_TOKEN', 'sts-token-env')
    monkeypatch.setenv('VOLCENGINE_REGION', 'cn-shanghai')
    monkeypatch.setenv('VOLCENGINE_ENDPOINT', 'http://127.0.0.1:18080')
    result, failed = run(DEFINITION, args(access_key=None, secret_key=None))
    assert not failed
    call = http.calls[-1]
    assert call['url'].startswith('http://127.0.0.1:18080/?')
    assert 'Credential=AKLTenv/' in call['headers']['Authorization']
    assert '/cn-shanghai/live/request' in call['headers']['Authorization']
    assert call['headers']['X-Security-Token'] == 'sts-token-env'


def test_sdk_environment_variables_are_the_last_fallback(run, http, monkeypatch):
    monkeypatch.setenv('VOLC_ACCESSKEY', 'AKLTsdk')
    monkeypatch.setenv('VOLC_SECRETKEY', SECRET)
    result, failed = run(DEFINITION, args(access_key=None, secret_key=None))
    assert not failed
    assert 'Credential=AKLTsdk/' in http.calls[-1]['headers']['Authorization']

    monkeypatch.setenv('VOLCENGINE_ACCESS_KEY', 'AKLTpreferred')
    run(DEFINITION, args(access_key=None, secret_key=None, stream='other'))
    assert 'Credential=AKLTpreferred/' in http.calls[-1]['headers']['Authorization']


def test_api_error_fails_with_code_and_request_id(run, http):
    http.answers['CreateRelaySourceV4'] = [
        envelope(
            'CreateRelaySourceV4', error='RequestForbidden.AccountIDNotAllow', request_id='rid-forbidden', status=403
        )
    ]
    result, failed = run(DEFINITION, args())
    assert failed
    assert result['request_id'] == 'rid-forbidden'
    assert result['error']['code'] == 'RequestForbidden.AccountIDNotAllow'
    assert result['error']['http_status'] == 403
    assert 'RequestId: rid-forbidden' in result['msg']
    assert masks(result, SECRET)


def test_missing_requests_library(run, monkeypatch, http):
    monkeypatch.setattr(_connection, 'import_requests', lambda: (None, 'Traceback: No module named requests'))
    result, failed = run(DEFINITION, args())
    assert failed
    assert 'requests' in result['msg'] and 'Failed to import the required Python library' in result['msg']
    assert http.calls == []


def test_secrets_are_no_log():
    spec = DEFINITION.argument_spec
    assert spec['secret_key']['no_log'] is True
    assert spec['session_token']['no_log'] is True


# --- convergence ----------------------------------------------------------------


def test_present_and_equal_is_unchanged_without_writes(run, http):
    http.configs.append(stored())
    result, failed = run(DEFINITION, args())
    assert not failed and result['changed'] is False
    assert result['task_id'] is None and result['request_id'] is None
    assert result['relay_source']['src_addrs'] == ['rtmp://origin-a.example.com/live/match-42']
    assert http.actions() == ['ListRelaySourceV4']


SPELLINGS = {
    'upper': lambda item: dict(item, Domain=item['Domain'].upper()),
    'trailing_dot': lambda item: dict(item, Domain=item['Domain'] + '.'),
    'cname': lambda item: dict(item, Domain=item['Domain'] + '.volcgslb-sim.com'),
    'omitted': lambda item: {k: v for k, v in item.items() if k != 'Domain'},
    'empty': lambda item: dict(item, Domain=''),
}


@pytest.mark.parametrize('spelling', sorted(SPELLINGS))
def test_the_stream_is_found_however_list_spells_its_domain(run, http, spelling):
    http.spell_domain = SPELLINGS[spelling]
    http.configs.append(stored())
    result, failed = run(DEFINITION, args(_ansible_diff=True))
    assert not failed and result['changed'] is False
    assert http.actions() == ['ListRelaySourceV4']
    assert result['relay_source']['domain'] == 'pull.example.com'
    assert result['diff']['before'] == result['diff']['after']

    result, failed = run(DEFINITION, args(src_addrs=['srt://new.example.com:9000']))
    assert not failed and result['changed'] is True
    result, failed = run(DEFINITION, args(state='absent'))
    assert not failed and result['changed'] is True
    assert http.actions().count('CreateRelaySourceV4') == 0
    assert http.configs == []


def test_iso_times_equal_to_stored_epoch_times_are_unchanged(run, http):
    http.configs.append(stored(StartTime=2114337600, EndTime=2114359200))
    result, failed = run(DEFINITION, args(start_time='2036-12-31T20:00:00+08:00', end_time='2037-01-01T02:00:00+08:00'))
    assert not failed and result['changed'] is False
    assert http.actions() == ['ListRelaySourceV4']


@pytest.mark.parametrize(
    'overrides',
    [
        dict(src_addrs=['rtmp://origin-b.example.com/live/match-42']),
        dict(src_addrs=['rtmp://origin-a.example.com/live/match-42', 'rtmp://origin-b.example.com/live/match-42']),
        dict(start_time=2114337600, end_time=2114359200),
    ],
)
def test_drift_is_updated(run, http, overrides):
    http.configs.append(stored())
    result, failed = run(DEFINITION, args(**overrides))
    assert not failed and result['changed'] is True
    assert result['task_id'] is None and result['request_id'] == 'rid-update'
    assert http.actions() == ['ListRelaySourceV4', 'UpdateRelaySourceV4']
    assert http.configs[0]['SrcAddrS'] == result['relay_source']['src_addrs']


def test_a_window_removed_by_an_update_is_checked(run, http):
    http.configs.append(stored(StartTime=2114337600, EndTime=2114359200))
    result, failed = run(DEFINITION, args())
    assert not failed and result['changed'] is True
    assert http.actions() == ['ListRelaySourceV4', 'UpdateRelaySourceV4', 'ListRelaySourceV4']
    assert 'StartTime' not in http.configs[0]


def test_a_window_the_service_keeps_fails_the_task_instead_of_passing_for_permanent(run, http):
    http.keep_window_on_update = True
    http.configs.append(stored(StartTime=2114337600, EndTime=2114359200))
    result, failed = run(DEFINITION, args(src_addrs=['srt://new.example.com:9000']))
    assert failed and result['changed'] is True
    assert (
        'kept the time window from 2036-12-31T12:00:00+00:00 (Unix 2114337600) to 2036-12-31T18:00:00+00:00 '
        '(Unix 2114359200) of live/match-42' in result['msg']
    )
    assert 'delete it (state: absent) and create it again' in result['msg']
    assert result['request_id'] == 'rid-update'
    assert result['relay_source']['src_addrs'] == ['srt://new.example.com:9000']
    assert result['relay_source']['start_time'] == 2114337600
    assert http.actions() == ['ListRelaySourceV4', 'UpdateRelaySourceV4', 'ListRelaySourceV4']


def test_an_update_that_keeps_or_sets_a_window_is_not_checked_again(run, http):
    http.keep_window_on_update = True
    http.configs.append(stored(StartTime=2114337600, EndTime=2114359200))
    result, failed = run(DEFINITION, args(start_time=2114337600, end_time=2114359201))
    assert not failed and result['changed'] is True
    result, failed = run(
        DEFINITION, args(src_addrs=['srt://new.example.com:9000'], start_time=2114337600, end_time=2114359201)
    )
    assert not failed and result['changed'] is True
    assert http.actions().count('ListRelaySourceV4') == 2


def test_reordered_sources_are_drift(run, http):
    http.configs.append(stored(SrcAddrS=['rtmp://b.example.com/l/s', 'rtmp://a.example.com/l/s']))
    result, failed = run(DEFINITION, args(src_addrs=['rtmp://a.example.com/l/s', 'rtmp://b.example.com/l/s']))
    assert result['changed'] is True and http.actions()[-1] == 'UpdateRelaySourceV4'


def test_absent_deletes_then_is_unchanged(run, http):
    http.configs.append(stored())
    result, failed = run(DEFINITION, args(state='absent', src_addrs=None))
    assert not failed and result['changed'] is True and result['relay_source'] is None
    assert result['request_id'] == 'rid-delete'
    assert http.configs == []
    result, failed = run(DEFINITION, args(state='absent', src_addrs=None))
    assert not failed and result['changed'] is False
    assert http.actions() == ['ListRelaySourceV4', 'DeleteRelaySourceV4', 'ListRelaySourceV4']


def test_absent_ignores_src_addrs_and_times(run, http):
    result, failed = run(DEFINITION, args(state='absent', src_addrs=['not a url'], start_time=5))
    assert not failed and result['changed'] is False


def test_present_requires_src_addrs(run, http):
    result, failed = run(DEFINITION, args(src_addrs=None))
    assert failed and 'src_addrs' in result['msg']
    assert http.calls == []


@pytest.mark.parametrize(
    'setup, overrides, changed, writes',
    [
        ([], {}, True, 0),
        ([stored()], {}, False, 0),
        ([stored()], dict(src_addrs=['srt://new.example.com:9000']), True, 0),
        ([stored()], dict(state='absent', src_addrs=None), True, 0),
        ([], dict(state='absent', src_addrs=None), False, 0),
    ],
)
def test_check_mode_predicts_exactly(  # noqa: PLR0913 - pytest fixtures and parameters
    run,
    http,
    setup,
    overrides,
    changed,
    writes,
):
    http.configs.extend(setup)
    before = [dict(c) for c in http.configs]
    result, failed = run(DEFINITION, dict(args(**overrides), _ansible_check_mode=True, _ansible_diff=True))
    assert not failed and result['changed'] is changed
    assert http.configs == before
    assert set(http.actions()) == {'ListRelaySourceV4'}
    assert result['diff']['before_header'] == 'relay source pull.example.com/live/match-42'
    assert (result['diff']['before'] != result['diff']['after']) is changed


def test_diff_shows_before_and_after(run, http):
    http.configs.append(stored())
    result, failed = run(DEFINITION, dict(args(src_addrs=['srt://new.example.com:9000']), _ansible_diff=True))
    assert result['diff']['before']['src_addrs'] == ['rtmp://origin-a.example.com/live/match-42']
    assert result['diff']['after']['src_addrs'] == ['srt://new.example.com:9000']


def test_lookup_stops_at_the_page_that_holds_the_stream(run, http):
    http.configs.extend(stored('s%04d' % i) for i in range(1200))
    http.configs.insert(700, stored())
    result, failed = run(DEFINITION, args())
    assert not failed and result['changed'] is False
    assert [c['body']['Page'] for c in http.calls] == [1, 2]


def test_lookup_reads_every_page_before_creating(run, http):
    http.configs.extend(stored('s%04d' % i) for i in range(1200))
    result, failed = run(DEFINITION, args())
    assert not failed and result['changed'] is True
    assert http.actions() == ['ListRelaySourceV4'] * 3 + ['CreateRelaySourceV4']


def test_lookup_failure_fails_cleanly(run, http):
    http.answers['ListRelaySourceV4'] = [
        envelope('ListRelaySourceV4', error='RequestForbidden.BillingStatus', status=403)
    ]
    result, failed = run(DEFINITION, args())
    assert failed and result['error']['code'] == 'RequestForbidden.BillingStatus'
    assert http.actions() == ['ListRelaySourceV4']


# --- reliability: nothing lost, nothing duplicated ----------------------------------


def test_transient_lookup_failures_are_survived(run, http):
    http.answers['ListRelaySourceV4'] = [
        envelope('ListRelaySourceV4', error='InternalError', status=500),
        envelope('ListRelaySourceV4', error='FlowLimitExceeded', status=429),
    ]
    result, failed = run(DEFINITION, args())
    assert not failed and result['changed'] is True
    assert http.actions() == ['ListRelaySourceV4'] * 3 + ['CreateRelaySourceV4']


def test_retries_run_out_with_attempts_and_request_id(run, http):
    http.answers['ListRelaySourceV4'] = [
        envelope('ListRelaySourceV4', error='InternalError', status=500, request_id='rid-%d' % i) for i in range(3)
    ]
    result, failed = run(DEFINITION, args(retries=2))
    assert failed
    assert result['msg'].startswith('ListRelaySourceV4 failed after 3 attempts: InternalError')
    assert 'RequestId: rid-2' in result['msg'] and result['error']['attempts'] == 3


@pytest.mark.parametrize(
    'failure',
    [
        requests.exceptions.ReadTimeout('read timed out'),
        requests.exceptions.ConnectionError('Connection aborted.'),
        envelope('CreateRelaySourceV4', error='InternalServiceError', status=502),
    ],
)
def test_a_create_whose_answer_was_lost_is_found_not_repeated(run, http, failure):
    http.after_commit['CreateRelaySourceV4'] = [failure]
    result, failed = run(DEFINITION, args())
    assert not failed and result['changed'] is True
    assert len(http.configs) == 1
    assert http.actions() == ['ListRelaySourceV4', 'CreateRelaySourceV4', 'ListRelaySourceV4']
    assert result['task_id'] is None
    assert 'carried out' in result['warnings'][0] and 'task id' in result['warnings'][0]


@pytest.mark.parametrize(
    'failure',
    [
        envelope('CreateRelaySourceV4', error='InternalError', status=500),
        envelope('CreateRelaySourceV4', error='CommonErr', status=200),
        envelope('CreateRelaySourceV4', error='FlowLimitExceeded', status=429),
    ],
)
def test_a_create_that_was_not_carried_out_is_made_once(run, http, failure):
    # A definite answer (an error code that is not a timeout, throttling): looked up again, then created.
    http.answers['CreateRelaySourceV4'] = [failure]
    result, failed = run(DEFINITION, args())
    assert not failed and result['changed'] is True and result['task_id']
    assert len(http.configs) == 1


@pytest.mark.parametrize(
    'failure',
    [
        requests.exceptions.ReadTimeout('read timed out'),
        envelope('CreateRelaySourceV4', error='InternalServiceTimeout', status=504),
    ],
)
def test_a_create_without_an_answer_committed_after_the_looks_is_not_sent_again(run, http, failure):
    # No answer that says whether it was carried out, and the service commits only after the module's looks:
    # the create is not sent again, and the task fails saying so; the rerun finds what the service made.
    http.answers['CreateRelaySourceV4'] = [failure]
    result, failed = run(DEFINITION, args(timeout=5))
    assert failed and result['changed'] is True, result
    assert http.actions() == ['ListRelaySourceV4', 'CreateRelaySourceV4', 'ListRelaySourceV4', 'ListRelaySourceV4']
    assert http.sleeps == [5, 5]
    assert result['msg'].startswith('CreateRelaySourceV4 failed: ')
    assert 'got no answer that says whether it was carried out' in result['msg']
    assert 'not found when looked up again 2 times' in result['msg'] and 'it was not sent again' in result['msg']
    assert 'Rerun the task' in result['msg'] and result['error']['action'] == 'CreateRelaySourceV4'
    assert result['error']['attempts'] == 1
    http.configs.append(stored())  # the late commit
    again, failed = run(DEFINITION, args(timeout=5))
    assert not failed and again['changed'] is False
    assert http.count('CreateRelaySourceV4') == 1 and len(http.configs) == 1


def test_a_create_without_an_answer_committed_between_the_looks_is_found(run, http):
    http.answers['CreateRelaySourceV4'] = [requests.exceptions.ReadTimeout('read timed out')]
    http.answers['ListRelaySourceV4'] = [
        envelope('ListRelaySourceV4', result={'List': [], 'Pagination': {'PageTotal': 1, 'TotalCount': 0}})
    ] * 2  # the first look, and the one after the create, find nothing
    http.configs.append(stored())  # the commit the second look after the create finds
    result, failed = run(DEFINITION, args())
    assert not failed and result['changed'] is True and result['task_id'] is None
    assert http.count('CreateRelaySourceV4') == 1 and http.count('ListRelaySourceV4') == 3
    assert 'carried out' in result['warnings'][0]


def test_an_update_whose_answer_was_lost_is_not_repeated(run, http):
    http.configs.append(stored())
    http.after_commit['UpdateRelaySourceV4'] = [requests.exceptions.ReadTimeout('read timed out')]
    result, failed = run(DEFINITION, args(src_addrs=['srt://new.example.com:9000']))
    assert not failed and result['changed'] is True
    assert http.actions() == ['ListRelaySourceV4', 'UpdateRelaySourceV4', 'ListRelaySourceV4']
    assert http.configs[0]['SrcAddrS'] == ['srt://new.example.com:9000']


def test_a_delete_whose_answer_was_lost_is_not_repeated(run, http):
    http.configs.append(stored())
    http.after_commit['DeleteRelaySourceV4'] = [
        envelope('DeleteRelaySourceV4', error='InternalServiceTimeout', status=504)
    ]
    result, failed = run(DEFINITION, args(state='absent', src_addrs=None))
    assert not failed and result['changed'] is True
    assert http.actions() == ['ListRelaySourceV4', 'DeleteRelaySourceV4', 'ListRelaySourceV4']
    assert http.configs == []


def test_write_retries_run_out(run, http):
    http.answers['CreateRelaySourceV4'] = [envelope('CreateRelaySourceV4', error='InternalError', status=500)] * 3
    result, failed = run(DEFINITION, args(retries=2))
    assert failed and result['error']['code'] == 'InternalError'
    assert http.actions().count('CreateRelaySourceV4') == 3
    assert 'after 3 attempts' in result['msg']
    assert http.configs == []


def test_permanent_write_errors_are_not_retried(run, http):
    http.answers['CreateRelaySourceV4'] = [envelope('CreateRelaySourceV4', error='InvalidParam', status=400)]
    result, failed = run(DEFINITION, args())
    assert failed and http.actions() == ['ListRelaySourceV4', 'CreateRelaySourceV4']


@pytest.mark.parametrize('option', ['retries', 'retry_max_delay', 'rate_limit'])
def test_negative_reliability_options_are_refused(run, http, option):
    result, failed = run(DEFINITION, args(**{option: -1}))
    assert failed and result['msg'].startswith(option + ' must not be negative')
    assert http.calls == []


def test_after_a_write_with_no_answer_the_recheck_waits_a_timeout(run, http):
    http.after_commit['CreateRelaySourceV4'] = [requests.exceptions.ReadTimeout('read timed out')]
    result, failed = run(DEFINITION, args(timeout=7))
    assert not failed and len(http.configs) == 1
    assert http.sleeps == [7]


def test_after_a_write_with_an_error_answer_the_recheck_does_not_wait_a_timeout(run, http):
    http.answers['CreateRelaySourceV4'] = [envelope('CreateRelaySourceV4', error='InternalError', status=500)]
    result, failed = run(DEFINITION, args(timeout=7, retry_max_delay=1))
    assert not failed and len(http.configs) == 1
    assert len(http.sleeps) == 1 and http.sleeps[0] <= 0.5


# A window that is over (issue 31): the rule of pull-to-push, shared by every resource with a window.
A_YEAR_AGO = int(time.time()) - 365 * 86400
OVER = dict(start_time=A_YEAR_AGO - 3 * 3600, end_time=A_YEAR_AGO)


def _iso(seconds, hours):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds + hours * 3600)) + '%+03d:00' % hours


@pytest.mark.parametrize('check', [False, True])
def test_a_window_that_is_over_is_never_created(run, http, check):
    result, failed = run(DEFINITION, dict(args(**OVER), _ansible_check_mode=check))
    assert failed and result['changed'] is False and result['option'] == 'end_time', result
    assert 'ended at %s (Unix %d)' % (_iso(A_YEAR_AGO, 0), A_YEAR_AGO) in result['msg'], result['msg']
    assert http.actions() == ['ListRelaySourceV4'] and http.configs == []


def test_the_refusal_shows_the_end_in_the_offset_the_play_wrote_it_in(run, http):
    end = _iso(A_YEAR_AGO, 8)
    result, failed = run(DEFINITION, args(start_time=OVER['start_time'], end_time=end))
    assert failed and result['option'] == 'end_time'
    assert 'end_time: is in the past: the window ended at %s (Unix %d)' % (end, A_YEAR_AGO) in result['msg']
    assert http.configs == []


def test_a_relay_whose_window_is_over_is_not_changed_and_a_rerun_that_finds_it_so_is_no_change(run, http):
    http.configs.append(stored(StartTime=OVER['start_time'], EndTime=A_YEAR_AGO))
    same, failed = run(DEFINITION, args(**OVER))
    assert not failed and same['changed'] is False, same
    for overrides in (dict(src_addrs=['srt://new.example.com:9000']), dict(end_time=A_YEAR_AGO + 60)):
        changed, failed = run(DEFINITION, args(**dict(OVER, **overrides)))
        assert failed and changed['option'] == 'end_time' and changed['changed'] is False, changed
    assert set(http.actions()) == {'ListRelaySourceV4'}
    moved, failed = run(DEFINITION, args(start_time=int(time.time()) + 60, end_time=int(time.time()) + 3600))
    assert not failed and moved['changed'] is True  # a window that is not over is written as ever
    http.configs[0].update(StartTime=OVER['start_time'], EndTime=A_YEAR_AGO)
    gone, failed = run(DEFINITION, args(state='absent'))
    assert not failed and gone['changed'] is True and http.configs == []


def test_a_found_stream_is_shown_in_the_offset_of_the_play_and_feeds_back_as_no_change(run, http):
    http.configs.append(stored(StartTime=2114337600, EndTime=2114359200))
    window = dict(start_time='2036-12-31T07:00:00-05:00', end_time='2036-12-31T13:00:00-05:00')
    result, failed = run(DEFINITION, args(_ansible_diff=True, **window))
    assert not failed and result['changed'] is False
    assert result['relay_source']['start_time_iso'] == '2036-12-31T07:00:00-05:00'
    assert result['relay_source']['end_time_iso'] == '2036-12-31T13:00:00-05:00'
    assert result['diff']['before']['end_time_iso'] == '2036-12-31T13:00:00-05:00'
    in_unix, failed = run(DEFINITION, args(start_time=2114337600, end_time=2114359200))
    assert not failed and in_unix['relay_source']['start_time_iso'] == '2036-12-31T12:00:00+00:00'
    fed_back = dict(args(), **result['relay_source'])
    again, failed = run(DEFINITION, fed_back)
    assert not failed and again['changed'] is False
    assert http.actions() == ['ListRelaySourceV4'] * 3


@pytest.mark.parametrize(
    'window, option',
    [
        (dict(start_time=2114337600, end_time=2114359200, start_time_iso='2036-12-31T12:00:01Z'), 'start_time_iso'),
        (dict(end_time_iso='2036-12-31T18:00:00Z'), 'end_time_iso'),
        (dict(start_time=2114337600, end_time=2114359200, end_time_iso=True), 'end_time_iso'),
    ],
)
def test_a_readable_copy_that_is_not_its_time_fails_before_any_request(run, http, window, option):
    result, failed = run(DEFINITION, args(**window))
    assert failed and result['option'] == option and http.calls == []
