# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The local Live API simulator: a real HTTP server, checked with the official SDK and with the collection's client."""

from __future__ import annotations

import datetime
import json
import threading
import time
import urllib.request
from functools import partial

import pytest
from volcengine.live.v20230101.live_service import LiveService

from ansible_collections.volcengine.live.plugins.module_utils import signer
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.retry import RetryPolicy
from ansible_collections.volcengine.live.plugins.module_utils._core.transport import LiveClient
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import create_relay_source
from ansible_collections.volcengine.live.tests.unit.helpers.simulator import admin
from ansible_collections.volcengine.live.tools.live_simulator.server import CODE_N, RateLimiter, Simulator

AK, SK = 'AKLTsimtest', 'sim-test-secret'
DOMAIN = 'pull.example.com'


def config(stream='s1', **extra):
    body = {'Domain': DOMAIN, 'App': 'live', 'Stream': stream, 'SrcAddrS': ['rtmp://origin.example.com/live/' + stream]}
    body.update(extra)
    return body


@pytest.fixture
def sim(tmp_path):
    simulator = Simulator(
        state_path=str(tmp_path / 'state.json'), accounts={AK: SK}, domains=[DOMAIN, 'other.example.com'], rate_limit=0
    ).start()
    yield simulator
    simulator.stop()


def client(sim, secret=SK, clock=None, timeout=5, access_key=AK):
    return LiveClient(
        access_key, secret, endpoint=sim.endpoint, timeout=timeout, clock=clock, retry=RetryPolicy(retries=0)
    )


def api_error(func, *args):
    with pytest.raises(LiveApiError) as info:
        func(*args)
    return info.value


# --- signatures -------------------------------------------------------------


def sdk_service(sim, secret=SK):
    service = LiveService(host='127.0.0.1:%d' % sim.port, ak=AK, sk=secret)
    service.set_scheme('http')
    return service


def test_requests_signed_by_the_official_sdk_are_accepted(sim):
    answer = sdk_service(sim).create_relay_source_v4(config())
    assert answer['Result']['TaskId']
    assert answer['ResponseMetadata']['Action'] == 'CreateRelaySourceV4'
    listed = sdk_service(sim).list_relay_source_v4({'Domain': DOMAIN})
    assert [item['Stream'] for item in listed['Result']['List']] == ['s1']


def test_the_official_sdk_with_a_wrong_secret_is_rejected(sim):
    with pytest.raises(Exception) as info:
        sdk_service(sim, secret='not-the-secret').create_relay_source_v4(config())
    assert 'SignatureDoesNotMatch' in str(info.value)
    assert admin(sim, '/_sim/state')['configs'] == []


def test_requests_signed_by_the_collection_are_accepted(sim):
    task_id, request_id = create_relay_source(client(sim), config())
    assert task_id and request_id


def test_wrong_secret(sim):
    error = api_error(partial(create_relay_source, client(sim, secret='wrong')), config())
    assert (error.code, error.status) == ('SignatureDoesNotMatch', 401)
    assert admin(sim, '/_sim/stats')['auth_failures'] == 1


def test_unknown_access_key(sim):
    error = api_error(partial(create_relay_source, client(sim, access_key='AKLTnobody')), config())
    assert (error.code, error.status) == ('InvalidAccessKey', 401)


def test_tampered_body(sim, monkeypatch):
    live = client(sim)
    original = live.build_request

    def tamper(action, body, method='POST'):
        url, headers, data = original(action, body, method)
        return url, headers, data.replace(b'"s1"', b'"s2"')

    monkeypatch.setattr(live, 'build_request', tamper)
    error = api_error(partial(create_relay_source, live), config())
    assert error.code == 'SignatureDoesNotMatch'
    assert admin(sim, '/_sim/state')['configs'] == []


def test_stale_x_date(sim):
    stale = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    error = api_error(partial(create_relay_source, client(sim, clock=lambda: stale)), config())
    assert (error.code, error.status) == ('InvalidTimestamp', 400)


def test_missing_authorization(sim):
    request = urllib.request.Request(
        sim.endpoint + '/?Action=CreateRelaySourceV4&Version=2023-01-01',
        data=json.dumps(config()).encode(),
        method='POST',
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert info.value.code == 401
    assert json.loads(info.value.read())['ResponseMetadata']['Error']['Code'] == 'MissingAuthenticationToken'


# --- the four actions ---------------------------------------------------------


def test_each_create_gets_a_fresh_task_id(sim):
    ids = {create_relay_source(client(sim), config('s%d' % i))[0] for i in range(5)}
    assert len(ids) == 5


def test_envelope(sim):
    result, request_id = client(sim).call('ListRelaySourceV4', {'Domain': DOMAIN})
    assert len(request_id) == 32
    assert result == {'List': [], 'Pagination': {'PageCur': 1, 'PageSize': 20, 'PageTotal': 0, 'TotalCount': 0}}


def test_update_and_delete(sim):
    live = client(sim)
    create_relay_source(live, config(StartTime=1800000000, EndTime=1800003600))
    live.call('UpdateRelaySourceV4', config(SrcAddrS=['srt://new.example.com:9000']))
    (item,) = live.call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List']
    assert item == {'Domain': DOMAIN, 'App': 'live', 'Stream': 's1', 'SrcAddrS': ['srt://new.example.com:9000']}
    live.call('DeleteRelaySourceV4', {'Domain': DOMAIN, 'App': 'live', 'Stream': 's1'})
    assert live.call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List'] == []


@pytest.mark.parametrize(
    'action, body',
    [
        ('UpdateRelaySourceV4', config('missing')),
        ('DeleteRelaySourceV4', {'Domain': DOMAIN, 'App': 'live', 'Stream': 'missing'}),
    ],
)
def test_not_found(sim, action, body):
    error = api_error(client(sim).call, action, body)
    assert (error.code, error.status) == ('ResourceNotFound', 404)


def test_a_second_create_adds_a_second_configuration(sim):
    live = client(sim)
    create_relay_source(live, config())
    create_relay_source(live, config())
    assert len(live.call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List']) == 2


@pytest.mark.parametrize(
    'mode, expected',
    [
        ('refuse', [('InvalidParam', 400)]),
        ('replace', []),
        ('add', []),
    ],
)
def test_second_create_modes(sim, mode, expected):
    admin(sim, '/_sim/config', {'duplicate_create': mode})
    live = client(sim)
    create_relay_source(live, config())
    outcomes = []
    try:
        create_relay_source(live, config(SrcAddrS=['srt://second.example.com:9000']))
    except LiveApiError as error:
        outcomes.append((error.code, error.status))
        assert 'already exists' in error.service_message
    assert outcomes == expected
    stored = [c['SrcAddrS'] for c in admin(sim, '/_sim/state')['configs']]
    assert (
        stored
        == {
            'refuse': [['rtmp://origin.example.com/live/s1']],
            'replace': [['srt://second.example.com:9000']],
            'add': [['rtmp://origin.example.com/live/s1'], ['srt://second.example.com:9000']],
        }[mode]
    )
    assert admin(sim, '/_sim/stats')['writes'] == (1 if mode == 'refuse' else 2)


@pytest.mark.parametrize(
    'mode, domain',
    [
        ('exact', DOMAIN),
        ('upper', DOMAIN.upper()),
        ('trailing_dot', DOMAIN + '.'),
        ('cname', DOMAIN + '.volcgslb-sim.com'),
        ('omit', None),
    ],
)
def test_list_domain_modes(sim, mode, domain):
    admin(sim, '/_sim/config', {'list_domain': mode})
    live = client(sim)
    create_relay_source(live, config())
    (item,) = live.call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List']
    assert item.get('Domain') == domain
    assert ('Domain' in item) is (domain is not None)
    assert (item['App'], item['Stream']) == ('live', 's1')
    # The mode changes what List answers, never what is stored, nor which domain a write addresses.
    assert admin(sim, '/_sim/state')['configs'][0]['Domain'] == DOMAIN
    live.call('DeleteRelaySourceV4', {'Domain': DOMAIN, 'App': 'live', 'Stream': 's1'})


@pytest.mark.parametrize('mode, window', [('clear', (None, None)), ('keep', (1800000000, 1800003600))])
def test_update_without_times_modes(sim, mode, window):
    admin(sim, '/_sim/config', {'update_without_times': mode})
    live = client(sim)
    create_relay_source(live, config(StartTime=1800000000, EndTime=1800003600))
    live.call('UpdateRelaySourceV4', config(SrcAddrS=['srt://new.example.com:9000']))
    (item,) = live.call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List']
    assert item['SrcAddrS'] == ['srt://new.example.com:9000']
    assert (item.get('StartTime'), item.get('EndTime')) == window
    live.call('UpdateRelaySourceV4', config(StartTime=1800000100, EndTime=1800000200))
    (item,) = live.call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List']
    assert (item['StartTime'], item['EndTime']) == (1800000100, 1800000200)


@pytest.mark.parametrize(
    'body',
    [
        {'list_domain': 'sometimes'},
        {'duplicate_create': 'maybe'},
        {'update_without_times': 'forget'},
        {'rate_limit': 1, 'list_domain': 'nope'},
    ],
)
def test_unknown_modes_are_refused_and_nothing_changes(sim, body):
    before = admin(sim, '/_sim/config')
    with pytest.raises(urllib.error.HTTPError) as info:
        admin(sim, '/_sim/config', body)
    assert info.value.code == 400
    assert admin(sim, '/_sim/config') == before


def test_modes_from_the_constructor():
    simulator = Simulator(list_domain='omit', duplicate_create='refuse')
    assert (simulator.list_domain, simulator.duplicate_create) == ('omit', 'refuse')
    with pytest.raises(ValueError):
        Simulator(list_domain='lowercase')


def test_domains_are_kept_apart(sim):
    live = client(sim)
    create_relay_source(live, config())
    assert live.call('ListRelaySourceV4', {'Domain': 'other.example.com'})[0]['List'] == []


def test_unknown_domain_is_forbidden(sim):
    error = api_error(partial(create_relay_source, client(sim)), config(Domain='nobody.example.com'))
    assert (error.code, error.status) == ('RequestForbidden.AccountIDNotAllow', 403)


def test_paging_with_the_largest_page(sim):
    sim.store.configs = [dict(config('s%04d' % i), _TaskId=str(i)) for i in range(1201)]
    live = client(sim)
    pages = [live.call('ListRelaySourceV4', {'Domain': DOMAIN, 'Page': p, 'Size': 500})[0] for p in (1, 2, 3, 4)]
    assert [len(p['List']) for p in pages] == [500, 500, 201, 0]
    assert pages[2]['Pagination'] == {'PageCur': 3, 'PageSize': 500, 'PageTotal': 3, 'TotalCount': 1201}
    streams = [item['Stream'] for page in pages for item in page['List']]
    assert streams == ['s%04d' % i for i in range(1201)]


@pytest.mark.parametrize(
    'body, code',
    [
        ({'Domain': DOMAIN, 'Size': 501}, 'InvalidParam.OutOfRange'),
        ({'Domain': DOMAIN, 'Size': 0}, 'InvalidParam.OutOfRange'),
        ({'Domain': DOMAIN, 'Page': 0}, 'InvalidParam.OutOfRange'),
        ({'Domain': DOMAIN, 'Size': '20'}, 'InvalidParam.BindError'),
        ({}, 'InvalidParam'),
    ],
)
def test_list_rejects(sim, body, code):
    assert api_error(client(sim).call, 'ListRelaySourceV4', body).code == code


@pytest.mark.parametrize(
    'body, code',
    [
        (config(App=''), 'InvalidParam'),
        (config(App='a' * 31), 'InvalidParam'),
        (config(App='bad/app'), 'InvalidParam'),
        (config(Stream='s' * 101), 'InvalidParam'),
        (config(App=5), 'InvalidParam.BindError'),
        (config(SrcAddrS=[]), 'InvalidParam'),
        (config(SrcAddrS='rtmp://a.example.com/l/s'), 'InvalidParam.BindError'),
        (config(SrcAddrS=['rtmp://o%d.example.com/l/s' % i for i in range(11)]), 'InvalidParam'),
        (config(SrcAddrS=['ftp://a.example.com/l/s']), 'InvalidParam'),
        (config(SrcAddrS=['rtmp://']), 'InvalidParam'),
        (config(StartTime=1800000000), 'InvalidParam'),
        (config(StartTime=1800000000, EndTime=1800000000), 'InvalidParam'),
        (config(StartTime=1800000000, EndTime=1800000000 + 7 * 86400 + 1), 'InvalidParam.OutOfRange'),
        (config(StartTime='soon', EndTime=1800000000), 'InvalidParam.BindError'),
        # The SDKs' typed bodies carry 32-bit times: nothing after 2038-01-19T03:14:07Z binds.
        (config(StartTime=2147483000, EndTime=2147483648), 'InvalidParam.BindError'),
        (config(StartTime='2147483648', EndTime='2147490000'), 'InvalidParam.BindError'),
        ({'App': 'live', 'Stream': 's', 'SrcAddrS': ['rtmp://a.example.com']}, 'InvalidParam'),
    ],
)
def test_create_rejects(sim, body, code):
    error = api_error(partial(create_relay_source, client(sim)), body)
    assert (error.code, error.status) == (code, 400)
    assert admin(sim, '/_sim/state')['configs'] == []


def test_create_accepts_the_documented_limits(sim):
    live = client(sim)
    create_relay_source(
        live,
        config(
            App='a' * 30,
            Stream='s' * 100,
            SrcAddrS=['rtmp://o%d.example.com:1935/l/s' % i for i in range(10)],
            StartTime='1800000000',
            EndTime=1800000000 + 7 * 86400,
        ),
    )
    (item,) = live.call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List']
    assert (item['StartTime'], item['EndTime']) == (1800000000, 1800000000 + 7 * 86400)


def test_the_last_32_bit_time_is_accepted(sim):
    create_relay_source(client(sim), config(StartTime=2147483000, EndTime=2147483647))
    assert admin(sim, '/_sim/state')['configs'][0]['EndTime'] == 2147483647


# The gateway's CodeN values, as the public common-error tables give them.
GATEWAY_CODE_N = {
    'MissingParameter': 100002,
    'MissingAuthenticationToken': 100003,
    'MissingRequestInfo': 100004,
    'InvalidTimestamp': 100006,
    'ServiceNotFound': 100007,
    'ServiceUnavailable': 100007,
    'InvalidActionOrVersion': 100008,
    'InvalidAccessKey': 100009,
    'InvalidClientTokenId': 100009,
    'SignatureDoesNotMatch': 100010,
    'AccessDenied': 100013,
    'InternalError': 100014,
    'InternalServiceTimeout': 100016,
    'FlowLimitExceeded': 100018,
}


def raw_error(  # noqa: PLR0913 - a request's parts, each varied by a test
    sim,
    secret=SK,
    headers=None,
    method='POST',
    action='CreateRelaySourceV4',
    clock=None,
):
    """The ResponseMetadata.Error of one raw request, and its HTTP status."""
    data = json.dumps(config()).encode()
    query = {'Action': action, 'Version': '2023-01-01'}
    signed = signer.sign(
        method,
        '127.0.0.1:%d' % sim.port,
        '/',
        query,
        {'Content-Type': 'application/json'},
        data,
        AK,
        secret,
        'cn-north-1',
        'live',
        now=clock,
    )
    if headers is not None:
        signed = headers
    request = urllib.request.Request(
        sim.endpoint + '/?' + signer.canonical_query(query), data=data, headers=signed, method=method
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    return info.value.code, json.loads(info.value.read())['ResponseMetadata']['Error']


@pytest.mark.parametrize(
    'kwargs, status, code',
    [
        (dict(secret='wrong'), 401, 'SignatureDoesNotMatch'),
        (dict(headers={'Content-Type': 'application/json'}), 401, 'MissingAuthenticationToken'),
        (dict(action='DescribeEverything'), 404, 'InvalidActionOrVersion'),
        (dict(clock=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)), 400, 'InvalidTimestamp'),
    ],
)
def test_gateway_errors_carry_the_tables_code_n(sim, kwargs, status, code):
    got_status, error = raw_error(sim, **kwargs)
    assert (got_status, error['Code']) == (status, code)
    assert error['CodeN'] == GATEWAY_CODE_N[code]


def test_the_code_n_table_is_the_public_one():
    assert CODE_N == GATEWAY_CODE_N


def test_service_errors_carry_no_code_n(sim):
    status, error = raw_error(sim, action='UpdateRelaySourceV4')  # nothing to update: ResourceNotFound
    assert (status, error['Code']) == (404, 'ResourceNotFound')
    assert 'CodeN' not in error


def test_a_get_is_not_allowed(sim):
    status, error = raw_error(sim, method='GET', action='ListRelaySourceV4')
    assert (status, error['Code']) == (405, 'MethodNotAllowed')


def test_unknown_action(sim):
    error = api_error(client(sim).call, 'DescribeEverything', {})
    assert (error.code, error.status) == ('InvalidActionOrVersion', 404)


def test_body_that_is_not_json(sim):
    headers = signer.sign(
        'POST',
        '127.0.0.1:%d' % sim.port,
        '/',
        {'Action': 'CreateRelaySourceV4', 'Version': '2023-01-01'},
        {'Content-Type': 'application/json'},
        b'{not json',
        AK,
        SK,
        'cn-north-1',
        'live',
    )
    request = urllib.request.Request(
        sim.endpoint + '/?Action=CreateRelaySourceV4&Version=2023-01-01',
        data=b'{not json',
        headers=headers,
        method='POST',
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert json.loads(info.value.read())['ResponseMetadata']['Error']['Code'] == 'InvalidParam.BindError'


# --- rate limit ----------------------------------------------------------------


def test_rate_limit_per_account_and_action(sim):
    admin(sim, '/_sim/config', {'rate_limit': 3})
    live = client(sim)
    outcomes = []
    for _unused in range(5):
        try:
            live.call('ListRelaySourceV4', {'Domain': DOMAIN})
            outcomes.append('ok')
        except LiveApiError as error:
            outcomes.append((error.code, error.status))
    assert outcomes == ['ok'] * 3 + [('FlowLimitExceeded', 429)] * 2
    create_relay_source(live, config())  # another action has its own budget
    time.sleep(1.05)
    live.call('ListRelaySourceV4', {'Domain': DOMAIN})  # the window has moved on
    assert admin(sim, '/_sim/stats')['throttled'] == 2


def test_default_rate_limit_is_ten_per_second():
    assert Simulator().limiter.rate == 10


def test_rate_limiter_window():
    limiter = RateLimiter(10)
    key = (AK, 'CreateRelaySourceV4')
    assert [limiter.allow(key, now=100.0 + i * 0.01) for i in range(11)] == [True] * 10 + [False]
    assert limiter.allow((AK, 'ListRelaySourceV4'), now=100.2)  # per action
    assert limiter.allow(('AKLTother', 'CreateRelaySourceV4'), now=100.2)  # per account
    assert not limiter.allow(key, now=100.99)
    assert limiter.allow(key, now=101.0)  # the first request left the one-second window
    assert not limiter.allow(key, now=101.001)
    assert all(RateLimiter(0).allow(key, now=100.0) for _unused in range(100))


# --- faults ---------------------------------------------------------------------


@pytest.mark.parametrize(
    'kind, status, code',
    [
        ('http500', 500, 'InternalError'),
        ('http502', 502, 'InternalServiceError'),
        ('http504', 504, 'InternalServiceTimeout'),
        ('common_err', 200, 'CommonErr'),
    ],
)
def test_error_faults(sim, kind, status, code):
    admin(sim, '/_sim/faults', {'faults': [{'kind': kind, 'action': 'CreateRelaySourceV4'}]})
    error = api_error(partial(create_relay_source, client(sim)), config())
    assert (error.status, error.code, error.transient) == (status, code, True)
    assert admin(sim, '/_sim/state')['configs'] == []
    create_relay_source(client(sim), config())  # the fault was used up
    assert len(admin(sim, '/_sim/state')['configs']) == 1


def test_injected_error_code(sim):
    admin(
        sim,
        '/_sim/faults',
        {
            'faults': [
                {
                    'kind': 'error',
                    'status': 403,
                    'code': 'RequestForbidden.BillingStatus',
                    'message': 'Billing status is not available',
                }
            ]
        },
    )
    error = api_error(partial(create_relay_source, client(sim)), config())
    assert (error.status, error.code) == (403, 'RequestForbidden.BillingStatus')


def test_fault_matches_only_its_action(sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'http500', 'action': 'DeleteRelaySourceV4', 'count': 2}]})
    create_relay_source(client(sim), config())
    assert (
        api_error(client(sim).call, 'DeleteRelaySourceV4', {'Domain': DOMAIN, 'App': 'live', 'Stream': 's1'}).status
        == 500
    )


def test_malformed_answer(sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'malformed'}]})
    error = api_error(partial(create_relay_source, client(sim)), config())
    assert error.code == 'InvalidResponse'


def test_slow_answer_past_the_client_timeout(sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'slow', 'seconds': 1.5}]})
    error = api_error(partial(create_relay_source, client(sim, timeout=0.5)), config())
    assert error.code == 'Timeout' and error.outcome_unknown
    deadline = time.time() + 5
    while not admin(sim, '/_sim/state')['configs'] and time.time() < deadline:
        time.sleep(0.1)
    assert len(admin(sim, '/_sim/state')['configs']) == 1  # it was carried out after all


def test_dropped_connection_after_commit(sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'drop_after_commit', 'action': 'CreateRelaySourceV4'}]})
    error = api_error(partial(create_relay_source, client(sim)), config())
    assert error.code == 'ConnectionError' and error.outcome_unknown is True
    assert len(admin(sim, '/_sim/state')['configs']) == 1


def wait_for_configs(sim, count, seconds=10):
    deadline = time.time() + seconds
    while len(admin(sim, '/_sim/state')['configs']) < count and time.time() < deadline:
        time.sleep(0.05)
    return admin(sim, '/_sim/state')['configs']


@pytest.mark.parametrize(
    'answer, code, unknown',
    [(None, 'Timeout', True), ('late', 'Timeout', True), ('http504', 'InternalServiceTimeout', True)],
)
def test_late_commit_lands_after_the_client_gave_up(sim, answer, code, unknown):
    fault = {'kind': 'late_commit', 'seconds': 1.5, 'action': 'CreateRelaySourceV4'}
    if answer:
        fault['answer'] = answer
    admin(sim, '/_sim/faults', {'faults': [fault]})
    sent = time.time()
    error = api_error(partial(create_relay_source, client(sim, timeout=0.5)), config())
    assert error.code == code and error.outcome_unknown is unknown
    assert time.time() - sent < 1.4 and admin(sim, '/_sim/state')['configs'] == []  # not there yet
    assert len(wait_for_configs(sim, 1)) == 1 and time.time() - sent >= 1.5  # it appears after the delay
    assert admin(sim, '/_sim/stats')['writes'] == 1


def test_late_commit_with_a_patient_client_gets_the_late_answer(sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'late_commit', 'seconds': 0.5, 'answer': 'late'}]})
    sent = time.time()
    task_id, _request_id = create_relay_source(client(sim, timeout=5), config())
    assert task_id and time.time() - sent >= 0.5
    assert [c['_TaskId'] for c in admin(sim, '/_sim/state')['configs']] == [task_id]


def test_late_commit_holds_the_connection_without_an_answer(sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'late_commit', 'seconds': 0.5}]})
    error = api_error(partial(create_relay_source, client(sim, timeout=5)), config())
    assert error.code == 'ConnectionError' and error.outcome_unknown is True  # closed after the commit, no answer
    assert len(admin(sim, '/_sim/state')['configs']) == 1


def test_late_commit_is_selected_per_action_and_stream(sim):
    admin(
        sim,
        '/_sim/faults',
        {'faults': [{'kind': 'late_commit', 'seconds': 1, 'action': 'CreateRelaySourceV4', 'stream': 'late'}]},
    )
    live = client(sim, timeout=0.3)
    assert live.call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List'] == []
    assert create_relay_source(live, config('on-time'))[0]
    assert api_error(partial(create_relay_source, live), config('late')).code == 'Timeout'
    assert sorted(c['Stream'] for c in wait_for_configs(sim, 2)) == ['late', 'on-time']


def test_late_commit_of_a_refused_write_stores_nothing(sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'late_commit', 'seconds': 0.2, 'answer': 'late'}]})
    error = api_error(partial(create_relay_source, client(sim, timeout=5)), config(Domain='not-served.example.com'))
    assert error.code == 'RequestForbidden.AccountIDNotAllow'
    assert admin(sim, '/_sim/state')['configs'] == []


@pytest.mark.parametrize('fault', [{'seconds': -1}, {'seconds': 'soon'}, {'seconds': True}, {'answer': 'maybe'}])
def test_a_late_commit_fault_that_cannot_be_carried_out_is_refused(sim, fault):
    with pytest.raises(urllib.error.HTTPError) as info:
        admin(sim, '/_sim/faults', {'faults': [dict(fault, kind='late_commit')]})
    assert info.value.code == 400


def test_unknown_fault_kind_is_refused(sim):
    with pytest.raises(urllib.error.HTTPError) as info:
        admin(sim, '/_sim/faults', {'faults': [{'kind': 'meteor'}]})
    assert info.value.code == 400


# --- state and counters ------------------------------------------------------------


def test_state_survives_a_restart(tmp_path):
    path = str(tmp_path / 'state.json')
    first = Simulator(state_path=path, accounts={AK: SK}, domains=[DOMAIN]).start()
    try:
        task_one = create_relay_source(client(first), config())[0]
    finally:
        first.stop()
    second = Simulator(state_path=path, accounts={AK: SK}, domains=[DOMAIN]).start()
    try:
        live = client(second)
        assert [i['Stream'] for i in live.call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List']] == ['s1']
        assert create_relay_source(live, config('s2'))[0] != task_one
    finally:
        second.stop()


def test_counters(sim):
    live = client(sim)
    create_relay_source(live, config())
    live.call('ListRelaySourceV4', {'Domain': DOMAIN})
    api_error(partial(create_relay_source, client(sim, secret='x')), config())
    stats = admin(sim, '/_sim/stats')
    assert stats['requests'] == 3
    assert stats['by_action'] == {'CreateRelaySourceV4': 2, 'ListRelaySourceV4': 1}
    assert stats['writes'] == 1 and stats['auth_failures'] == 1
    admin(sim, '/_sim/reset', {})
    assert admin(sim, '/_sim/stats')['requests'] == 0
    assert len(admin(sim, '/_sim/state')['configs']) == 1


def test_parallel_creates_are_all_kept(sim):
    errors = []

    def create(index):
        try:
            create_relay_source(client(sim), config('p%d' % index))
        except LiveApiError as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(admin(sim, '/_sim/state')['configs']) == 20


def test_seeding_is_not_an_api_write(sim):
    answer = admin(sim, '/_sim/state', {'configs': [config('seed%d' % i) for i in range(3)]})
    assert answer == {'ok': True, 'added': 3}
    assert len(client(sim).call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List']) == 3
    assert admin(sim, '/_sim/stats')['writes'] == 0


def test_seeding_checks_the_rules(sim):
    with pytest.raises(urllib.error.HTTPError) as info:
        admin(sim, '/_sim/state', {'configs': [config(App='bad/app')]})
    assert info.value.code == 400
    assert admin(sim, '/_sim/state')['configs'] == []


def test_seeding_by_generation(sim):
    admin(sim, '/_sim/state', {'generate': {'domain': DOMAIN, 'count': 3, 'stream_prefix': 'g-'}})
    items = client(sim).call('ListRelaySourceV4', {'Domain': DOMAIN})[0]['List']
    assert [i['Stream'] for i in items] == ['g-0000', 'g-0001', 'g-0002']
    assert items[2]['SrcAddrS'] == ['rtmp://origin.example.com/live/g-0002']


def test_per_action_timing(sim):
    live = client(sim)
    before = time.time()
    create_relay_source(live, config('a'))
    time.sleep(0.05)
    create_relay_source(live, config('b'))
    live.call('ListRelaySourceV4', {'Domain': DOMAIN})
    timing = admin(sim, '/_sim/stats')['timing']
    create = timing['CreateRelaySourceV4']
    assert create['count'] == 2 and before <= create['first'] < create['last'] <= time.time()
    assert create['last'] - create['first'] >= 0.05
    assert timing['ListRelaySourceV4']['count'] == 1
    admin(sim, '/_sim/reset', {})
    assert admin(sim, '/_sim/stats')['timing'] == {}


def test_a_fault_for_one_stream_forever(sim):
    fault = {
        'kind': 'error',
        'status': 400,
        'code': 'InvalidParam',
        'action': 'CreateRelaySourceV4',
        'stream': 'cursed',
        'count': 0,
    }
    admin(sim, '/_sim/faults', {'faults': [fault]})
    live = client(sim)
    for _unused in range(3):
        assert api_error(partial(create_relay_source, live), config('cursed')).code == 'InvalidParam'
    create_relay_source(live, config('blessed'))
    assert [c['Stream'] for c in admin(sim, '/_sim/state')['configs']] == ['blessed']
    assert admin(sim, '/_sim/stats')['faults'] == 3
