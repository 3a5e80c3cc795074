# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client against mocked HTTP: what it sends, and every kind of answer."""

from __future__ import annotations

import datetime
import json
from collections import OrderedDict
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from volcengine.auth.SignerV4 import SignerV4
from volcengine.auth.SignParam import SignParam
from volcengine.Credentials import Credentials

from ansible_collections.volcengine.live.plugins.module_utils._core import errors as errors_mod
from ansible_collections.volcengine.live.plugins.module_utils._core import paging as paging_mod
from ansible_collections.volcengine.live.plugins.module_utils._core import transport as transport_mod
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError, parse_response
from ansible_collections.volcengine.live.plugins.module_utils._core.retry import RetryPolicy
from ansible_collections.volcengine.live.plugins.module_utils._core.transport import LiveClient, parse_endpoint
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import (
    create_relay_source,
    delete_relay_source,
    iter_relay_sources,
    list_relay_sources,
    update_relay_source,
)
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import FakeLive as FakeSession
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import FakeResponse, envelope_text

SECRET = 'Sk-Very-Secret-Value-7f3a'
TOKEN = 'StsToken-Very-Secret-9c1d'
NOW = datetime.datetime(2026, 11, 24, 8, 0, 0, tzinfo=datetime.timezone.utc)
BODY = {'Domain': 'pull.example.com', 'App': 'live', 'Stream': 's1', 'SrcAddrS': ['rtmp://o.example.com/live/s1']}


def envelope(**kwargs):
    """The JSON text of an answer (request id ``req-0001`` unless given)."""
    kwargs.setdefault('request_id', 'req-0001')
    return envelope_text(**kwargs)


def make_client(session, retries=0, sleep=lambda seconds: None, rand=None, **kwargs):
    options = dict(
        access_key='AKLTtest',
        secret_key=SECRET,
        region='cn-north-1',
        endpoint='https://live.volcengineapi.com',
        session=session,
        clock=lambda: NOW,
        retry=RetryPolicy(retries=retries, sleep=sleep, rand=rand),
    )
    options.update(kwargs)
    return LiveClient(**options)


def test_create_returns_task_id_and_request_id():
    session = FakeSession(FakeResponse(200, envelope(result={'TaskId': '1612345678901'}, request_id='rid-9')))
    assert create_relay_source(make_client(session), BODY) == ('1612345678901', 'rid-9')


def test_numeric_task_id_is_returned_as_string():
    session = FakeSession(FakeResponse(200, envelope(result={'TaskId': 161234})))
    assert create_relay_source(make_client(session), BODY)[0] == '161234'


def test_what_is_sent():
    session = FakeSession(FakeResponse(200, envelope(result={'TaskId': '1'})))
    create_relay_source(make_client(session, timeout=7.5, validate_certs=False), BODY)
    (call,) = session.calls
    url = urlsplit(call['url'])
    assert (url.scheme, url.netloc, url.path) == ('https', 'live.volcengineapi.com', '/')
    assert dict(parse_qsl(url.query)) == {'Action': 'CreateRelaySourceV4', 'Version': '2023-01-01'}
    assert json.loads(call['data'].decode('utf-8')) == BODY
    assert call['timeout'] == (7.5, 7.5)  # (connect, answer): each within what the task's budgets leave
    assert call['verify'] is False
    assert call['allow_redirects'] is False
    headers = call['headers']
    assert headers['Content-Type'] == 'application/json'
    assert headers['Host'] == 'live.volcengineapi.com'
    assert headers['X-Date'] == '20261124T080000Z'
    assert headers['Accept'] == 'application/json'
    assert 'X-Security-Token' not in headers
    assert 'accept' not in headers['Authorization'].split('SignedHeaders=')[1].split(',')[0]


def test_the_signature_verifies_with_the_official_sdk():
    session = FakeSession(FakeResponse(200, envelope(result={'TaskId': '1'})))
    create_relay_source(make_client(session, session_token=TOKEN, endpoint='http://127.0.0.1:18080'), BODY)
    (call,) = session.calls
    sent = call['headers']
    assert sent['X-Security-Token'] == TOKEN
    param = SignParam()
    param.set_method('POST')
    param.set_host('127.0.0.1:18080')
    param.set_path('/')
    param.set_query(OrderedDict(parse_qsl(urlsplit(call['url']).query)))
    param.set_header_list(OrderedDict((k, v) for k, v in sent.items() if k in ('Content-Type', 'Host')))
    param.set_body(call['data'])
    param.set_date(NOW.replace(tzinfo=None))
    expected = SignerV4.sign_only(param, Credentials('AKLTtest', SECRET, 'live', 'cn-north-1', TOKEN))
    assert sent['Authorization'] == expected.authorization


def test_validate_certs_defaults_to_true():
    session = FakeSession(FakeResponse(200, envelope(result={'TaskId': '1'})))
    create_relay_source(make_client(session), BODY)
    assert session.calls[0]['verify'] is True


# Every error code of the public tables (the RelaySourceV4 pages and the OpenAPI gateway's common codes), with
# the HTTP status it comes with and whether asking again can help.
DOCUMENTED_ERRORS = [
    # service codes
    (200, 'CommonErr', True),
    (400, 'InvalidParam', False),
    (400, 'InvalidParam.BindError', False),
    (400, 'InvalidParam.OutOfRange', False),
    (403, 'RequestForbidden', False),
    (403, 'RequestForbidden.AccountIDNotAllow', False),
    (403, 'RequestForbidden.BillingStatus', False),
    (404, 'ResourceNotFound', False),
    (500, 'InternalError', True),
    (502, 'InternalServiceError', True),
    (502, 'InternalServiceError.BadResponse', True),
    (504, 'InternalServiceTimeout', True),
    # gateway codes
    (400, 'MissingParameter', False),
    (401, 'MissingAuthenticationToken', False),
    (401, 'MissingSignature', False),
    (400, 'MissingRequestInfo', False),
    (400, 'InvalidTimestamp', False),
    (403, 'InvalidTimestamp', False),
    (404, 'ServiceNotFound', False),
    (404, 'ServiceUnavailable', False),
    (404, 'InvalidActionOrVersion', False),
    (401, 'InvalidAccessKey', False),
    (401, 'InvalidClientTokenId', False),
    (401, 'SignatureDoesNotMatch', False),
    (403, 'AccessDenied', False),
    (403, 'LackPolicy', False),
    (401, 'LackProjectPolicy', False),
    (403, 'LackProjectPolicy', False),
    (500, 'InternalError', True),
    (504, 'InternalServiceTimeout', True),
    (429, 'FlowLimitExceeded', True),
    (429, 'AccountFlowLimitExceeded', True),
    (405, 'MethodNotAllowed', False),
    (502, 'FailToConnect', True),
    (500, 'UndefinedError', True),
    (503, 'ServiceUnavailableTemp', True),
]
THROTTLING = {'FlowLimitExceeded', 'AccountFlowLimitExceeded'}


@pytest.mark.parametrize('status, code, transient', DOCUMENTED_ERRORS)
def test_each_documented_error_code(status, code, transient):
    text = envelope(error={'Code': code, 'Message': 'service says %s' % code}, request_id='rid-%s' % code)
    session = FakeSession(FakeResponse(status, text))
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(session, session_token=TOKEN), BODY)
    error = info.value
    assert (error.code, error.status, error.request_id) == (code, status, 'rid-%s' % code)
    assert error.transient is transient
    assert error.throttled is (code in THROTTLING)
    # A timeout of the gateway or of the service leaves the outcome open: the backend may still commit.
    assert error.outcome_unknown is (status == 504 or code.endswith('Timeout'))
    message = str(error)
    assert message.startswith('CreateRelaySourceV4 failed: %s: service says %s' % (code, code))
    assert 'RequestId: rid-%s' % code in message
    assert 'HTTP %d' % status in message
    assert error.hint and error.hint in message
    assert SECRET not in message and TOKEN not in message
    assert error.to_result() == {
        'error': {
            'action': 'CreateRelaySourceV4',
            'code': code,
            'message': 'service says %s' % code,
            'http_status': status,
            'attempts': 1,
        },
        'request_id': 'rid-%s' % code,
    }


@pytest.mark.parametrize('status, code, transient', DOCUMENTED_ERRORS)
def test_each_documented_error_is_sent_once_or_retried(status, code, transient):
    """A permanent error is never asked again; a transient one is, up to ``retries`` times (reads)."""
    text = envelope(action='ListRelaySourceV4', error={'Code': code, 'Message': 'no'})
    session = FakeSession(*[FakeResponse(status, text) for _unused in range(3)])
    with pytest.raises(LiveApiError) as info:
        list_relay_sources(make_client(session, retries=2), 'pull.example.com')
    assert len(session.calls) == (3 if transient else 1)
    assert info.value.attempts == len(session.calls)


@pytest.mark.parametrize(
    'code, expected',
    [
        ('ServiceUnavailable', 'a permanent error despite its name'),
        ('ServiceUnavailableTemp', 'temporarily unavailable'),
        ('AccountFlowLimitExceeded', 'account-wide request rate limit'),
        ('InvalidClientTokenId', 'check access_key'),
        ('LackProjectPolicy', 'in the project of the resource'),
        ('RequestForbidden.AccountIDNotAllow', 'does not belong to the account of access_key'),
        ('InternalServiceError.BadResponse', 'internal components'),  # by its family
    ],
)
def test_hints_of_codes_that_had_none(code, expected):
    assert expected in errors_mod.error_hint(code)


@pytest.mark.parametrize(
    'code, status, expected',
    [
        ('SomethingNew', 400, errors_mod.PERMANENT),
        ('SomethingNew', 404, errors_mod.PERMANENT),
        ('SomethingNew', 429, errors_mod.THROTTLE),
        ('SomethingNew', 500, errors_mod.TRANSIENT),
        ('SomethingNew', 503, errors_mod.TRANSIENT),
        ('SomethingNew.Sub', 502, errors_mod.TRANSIENT),
        # a known code keeps its class whatever the status says
        ('ServiceUnavailable', 503, errors_mod.PERMANENT),
        ('InvalidParam', 500, errors_mod.PERMANENT),
        ('CommonErr', 200, errors_mod.TRANSIENT),
        ('HTTPError', 503, errors_mod.TRANSIENT),
        ('HTTPError', 404, errors_mod.PERMANENT),
    ],
)
def test_error_class(code, status, expected):
    assert errors_mod.error_class(code, status) == expected


def test_auth_hint_names_the_option_to_check():
    text = envelope(error={'Code': 'SignatureDoesNotMatch', 'Message': 'bad signature'})
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(FakeSession(FakeResponse(401, text))), BODY)
    assert 'secret_key' in str(info.value)


def test_unknown_code_keeps_code_and_message():
    text = envelope(error={'Code': 'SomethingNew.Sub', 'Message': 'new failure', 'CodeN': 100099})
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(FakeSession(FakeResponse(400, text))), BODY)
    assert str(info.value) == (
        'CreateRelaySourceV4 failed: SomethingNew.Sub: new failure [HTTP 400, RequestId: req-0001]'
    )
    assert info.value.transient is False


def test_429_without_an_envelope_is_throttling():
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(FakeSession(FakeResponse(429, 'Too Many Requests'))), BODY)
    assert info.value.code == 'Throttled'
    assert info.value.transient is True
    assert '10 requests/s' in str(info.value)


def test_429_with_an_unknown_code_is_transient():
    text = envelope(error={'Code': 'AccountFlowLimitExceeded', 'Message': 'slow down'})
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(FakeSession(FakeResponse(429, text))), BODY)
    assert info.value.code == 'AccountFlowLimitExceeded'
    assert info.value.transient is True


@pytest.mark.parametrize(
    'status, text, snippet',
    [
        (
            502,
            '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
            '502 Bad Gateway 502 Bad Gateway',
        ),
        (200, 'not json at all', 'not json at all'),
        (200, '', ''),
        (200, '[1, 2]', '[1, 2]'),
        (503, 'x' * 1000, 'x' * 200 + '...'),
    ],
)
def test_non_json_answers(status, text, snippet):
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(FakeSession(FakeResponse(status, text))), BODY)
    error = info.value
    assert error.code == 'InvalidResponse'
    assert error.status == status
    assert repr(snippet) in str(error)
    assert '<' not in str(error)
    assert error.transient is True


def test_http_error_status_without_error_code():
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(FakeSession(FakeResponse(500, envelope()))), BODY)
    assert info.value.code == 'HTTPError'
    assert info.value.transient is True


def test_success_without_task_id_is_an_error():
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(FakeSession(FakeResponse(200, envelope(result={})))), BODY)
    assert info.value.code == 'InvalidResponse'
    assert 'TaskId' in str(info.value)


def test_read_timeout_means_the_outcome_is_unknown():
    session = FakeSession(requests.exceptions.ReadTimeout('HTTPSConnectionPool: Read timed out. (read timeout=3)'))
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(session, timeout=3), BODY)
    error = info.value
    assert error.code == 'Timeout'
    assert error.outcome_unknown is True
    assert error.transient is True
    assert 'within 3s' in str(error)


def test_connect_timeout_means_nothing_was_sent():
    session = FakeSession(requests.exceptions.ConnectTimeout('connect timed out'))
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(session), BODY)
    assert info.value.code == 'ConnectionError'
    assert info.value.outcome_unknown is False


def test_refused_connection_means_nothing_was_sent():
    import urllib3

    inner = urllib3.exceptions.NewConnectionError(None, 'Failed to establish a new connection: [Errno 111] refused')
    outer = urllib3.exceptions.MaxRetryError(None, '/', reason=inner)
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(FakeSession(requests.exceptions.ConnectionError(outer))), BODY)
    assert info.value.code == 'ConnectionError'
    assert info.value.outcome_unknown is False


def test_dropped_connection_means_the_outcome_is_unknown():
    import urllib3

    dropped = urllib3.exceptions.ProtocolError('Connection aborted.', ConnectionResetError(104, 'reset'))
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(FakeSession(requests.exceptions.ConnectionError(dropped))), BODY)
    assert info.value.code == 'ConnectionError'
    assert info.value.outcome_unknown is True


def test_tls_failure_is_explained():
    session = FakeSession(requests.exceptions.SSLError('certificate verify failed'))
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(session), BODY)
    assert info.value.code == 'TLSError'
    assert 'validate_certs' in str(info.value)


def test_the_client_never_shows_its_secrets():
    live_client = make_client(FakeSession(), session_token=TOKEN)
    assert SECRET not in repr(live_client) and TOKEN not in repr(live_client)


def test_a_real_session_is_made_lazily(monkeypatch):
    made = []

    def fake_session():
        made.append(1)
        return FakeSession(FakeResponse(200, envelope(result={'TaskId': 't'})))

    monkeypatch.setattr(requests, 'Session', fake_session)
    live_client = LiveClient('AK', SECRET, retry=RetryPolicy(retries=0))
    assert made == []
    assert create_relay_source(live_client, BODY)[0] == 't'
    assert made == [1]


def test_missing_requests_is_reported(monkeypatch):
    monkeypatch.setattr(transport_mod, 'import_requests', lambda: (None, 'Traceback: No module named requests'))
    with pytest.raises(ImportError):
        create_relay_source(LiveClient('AK', SECRET), BODY)


@pytest.mark.parametrize(
    'endpoint, expected',
    [
        ('https://live.volcengineapi.com', ('https', 'live.volcengineapi.com', '/')),
        ('http://127.0.0.1:8080', ('http', '127.0.0.1:8080', '/')),
        ('http://localhost:8080/api/', ('http', 'localhost:8080', '/api/')),
    ],
)
def test_parse_endpoint_accepts(endpoint, expected):
    assert parse_endpoint(endpoint) == expected


@pytest.mark.parametrize(
    'endpoint',
    [
        '',
        None,
        'live.volcengineapi.com',
        'ftp://live.volcengineapi.com',
        'https://',
        'https://:443',
        'https://live.volcengineapi.com?Action=x',
        'https://user:pw@live.volcengineapi.com',
        'https://live.volcengineapi.com:99999',
        'https://live.volcengineapi.com:0',
        'https://[::1',
        'https://live.volcengineapi.com/\x00',
        'https://live.volcengineapi.com\n',
        'https://火山.example.com',
        'https://live.volcengineapi.com:４４３',
    ],
)
def test_parse_endpoint_rejects(endpoint):
    with pytest.raises(ValueError):
        parse_endpoint(endpoint)


def test_parse_response_success_without_result():
    assert parse_response('DeleteRelaySourceV4', 200, envelope(action='DeleteRelaySourceV4')) == ({}, 'req-0001')


# --- paging -----------------------------------------------------------------------


def list_page(items, page, size, total):
    return FakeResponse(
        200,
        envelope(
            action='ListRelaySourceV4',
            result={
                'List': items,
                'Pagination': {'PageCur': page, 'PageSize': size, 'PageTotal': -(-total // size), 'TotalCount': total},
            },
        ),
    )


def test_list_asks_for_the_largest_page():
    session = FakeSession(list_page([], 1, 500, 0))
    list_relay_sources(make_client(session), 'pull.example.com')
    assert json.loads(session.calls[0]['data']) == {'Domain': 'pull.example.com', 'Page': 1, 'Size': 500}
    assert 'Action=ListRelaySourceV4' in session.calls[0]['url']


def test_iter_reads_every_page_and_no_more():
    items = [{'Stream': 's%d' % i} for i in range(1100)]
    session = FakeSession(
        list_page(items[:500], 1, 500, 1100),
        list_page(items[500:1000], 2, 500, 1100),
        list_page(items[1000:], 3, 500, 1100),
    )
    assert list(iter_relay_sources(make_client(session), 'pull.example.com')) == items
    assert [json.loads(c['data'])['Page'] for c in session.calls] == [1, 2, 3]


def test_iter_is_lazy():
    items = [{'Stream': 's%d' % i} for i in range(1000)]
    session = FakeSession(list_page(items[:500], 1, 500, 1000), list_page(items[500:], 2, 500, 1000))
    iterator = iter_relay_sources(make_client(session), 'pull.example.com')
    assert next(iterator) == {'Stream': 's0'}
    assert len(session.calls) == 1


def test_iter_exact_multiple_of_the_page_size():
    items = [{'Stream': 's%d' % i} for i in range(500)]
    session = FakeSession(list_page(items, 1, 500, 500))
    assert len(list(iter_relay_sources(make_client(session), 'pull.example.com'))) == 500
    assert len(session.calls) == 1


@pytest.mark.parametrize(
    'page, count, pagination, last',
    [
        (1, 499, {}, True),
        (1, 500, {}, False),
        (1, 500, {'PageTotal': 1}, True),
        (1, 500, {'PageTotal': 2}, False),
        (2, 500, {'PageTotal': 2}, True),
        (1, 500, {'TotalCount': 500}, True),
        (1, 500, {'TotalCount': 501}, False),
        (1, 0, {'PageTotal': 5}, True),
        (1, 500, {'PageTotal': True}, False),
        (1, 500, {'TotalCount': None}, False),
        (1, 500, {'TotalCount': '500'}, False),
        (1, 500, {'PageTotal': 1.0, 'TotalCount': 500}, True),
    ],
)
def test_is_last_page(page, count, pagination, last):
    assert paging_mod.is_last_page(page, 500, count, pagination) is last


@pytest.mark.parametrize(
    'pages, asked',
    [
        ([(['a'], {})], [1]),
        ([(['a', 'b'], {'TotalCount': 5}), (['c', 'd'], {'TotalCount': 5}), (['e'], {'TotalCount': 5})], [1, 2, 3]),
        ([(['a', 'b'], {'PageTotal': 2}), (['c', 'd'], {'PageTotal': 2}), (['never'], {})], [1, 2]),
        ([(['a', 'b'], {}), ([], {})], [1, 2]),
    ],
    ids=['one page', 'a short last page', 'PageTotal stops it', 'an empty page ends it'],
)
def test_every_page_asks_page_after_page_until_the_last(pages, asked):
    seen = []

    def fetch(page):
        seen.append(page)
        return pages[page - 1]

    items = paging_mod.every_page(fetch, 2, 'ListRelaySourceV4')
    assert seen == []  # nothing is asked for before the first item
    assert list(items) == [item for page in pages[: len(asked)] for item in page[0]]
    assert seen == asked


def test_a_list_that_never_ends_fails_instead_of_reading_for_ever():
    seen = []

    def fetch(page):
        seen.append(page)
        return ['a', 'b'], {}  # full pages, no totals: a service answering wrongly

    with pytest.raises(LiveApiError) as info:
        list(paging_mod.every_page(fetch, 2, 'ListRelaySourceV4', max_pages=5))
    assert seen == [1, 2, 3, 4, 5]
    assert info.value.code == 'InvalidResponse' and 'did not end after 5 pages' in str(info.value)


@pytest.mark.parametrize(
    'result, page',
    [
        ({}, ([], {})),
        ({'List': None, 'Pagination': None}, ([], {})),
        ({'List': [{'a': 1}], 'Pagination': {'PageTotal': 1}}, ([{'a': 1}], {'PageTotal': 1})),
        ({'List': [], 'Total': 3}, ([], {})),
    ],
)
def test_list_page_takes_a_list_of_objects_and_its_pagination(result, page):
    assert paging_mod.list_page(result, 'ListX', 'things', 'r-1') == page


@pytest.mark.parametrize(
    'result, says',
    [
        ({'List': 'oops'}, 'not a list of things'),
        ({'List': {'a': 1}}, 'not a list of things'),
        ({'List': [{'a': 1}, 'b']}, 'not a list of things'),
        ({'List': [[]]}, 'not a list of things'),
        ({'List': [], 'Pagination': ['PageTotal']}, 'Pagination is not an object'),
        ({'List': [], 'Pagination': 3}, 'Pagination is not an object'),
    ],
)
def test_list_page_refuses_a_garbled_answer(result, says):
    with pytest.raises(LiveApiError) as info:
        paging_mod.list_page(result, 'ListX', 'things', 'r-1')
    error = info.value
    assert (error.code, error.action, error.request_id, error.transient) == ('InvalidResponse', 'ListX', 'r-1', True)
    assert says in str(error)


def test_list_rejects_items_that_are_not_objects():
    session = FakeSession(FakeResponse(200, envelope(action='ListRelaySourceV4', result={'List': ['oops']})))
    with pytest.raises(LiveApiError) as info:
        list_relay_sources(make_client(session), 'pull.example.com')
    assert info.value.code == 'InvalidResponse'


def test_list_rejects_a_result_that_is_not_a_list():
    session = FakeSession(FakeResponse(200, envelope(action='ListRelaySourceV4', result={'List': 'oops'})))
    with pytest.raises(LiveApiError) as info:
        list_relay_sources(make_client(session), 'pull.example.com')
    assert info.value.code == 'InvalidResponse'


def test_update_and_delete_send_their_actions():
    session = FakeSession(
        FakeResponse(200, envelope(action='UpdateRelaySourceV4', request_id='r-up')),
        FakeResponse(200, envelope(action='DeleteRelaySourceV4', request_id='r-del')),
    )
    live_client = make_client(session)
    assert update_relay_source(live_client, BODY) == 'r-up'
    assert delete_relay_source(live_client, 'pull.example.com', 'live', 's1') == 'r-del'
    assert 'Action=UpdateRelaySourceV4' in session.calls[0]['url']
    assert json.loads(session.calls[0]['data']) == BODY
    assert 'Action=DeleteRelaySourceV4' in session.calls[1]['url']
    assert json.loads(session.calls[1]['data']) == {'Domain': 'pull.example.com', 'App': 'live', 'Stream': 's1'}


# --- retries ------------------------------------------------------------------------


def error_answer(status, code, action='ListRelaySourceV4', request_id='rid-x'):
    return FakeResponse(status, envelope(action=action, error={'Code': code, 'Message': code}, request_id=request_id))


class Recorder:
    def __init__(self):
        self.sleeps = []

    def __call__(self, seconds):
        self.sleeps.append(seconds)


@pytest.mark.parametrize(
    'status, code',
    [
        (429, 'FlowLimitExceeded'),
        (500, 'InternalError'),
        (502, 'InternalServiceError'),
        (502, 'InternalServiceError.BadResponse'),
        (504, 'InternalServiceTimeout'),
        (200, 'CommonErr'),
        (503, 'Whatever'),
    ],
)
def test_reads_are_retried_on_transient_errors(status, code):
    sleeps = Recorder()
    session = FakeSession(error_answer(status, code), error_answer(status, code), list_page([], 1, 500, 0))
    live_client = make_client(session, retries=3, sleep=sleeps, rand=lambda: 1.0)
    assert list_relay_sources(live_client, 'pull.example.com')[0] == []
    assert len(session.calls) == 3
    assert sleeps.sleeps == [0.5, 1.0]


def test_reads_are_retried_after_timeouts_and_dropped_connections():
    session = FakeSession(
        requests.exceptions.ReadTimeout('read timed out'),
        requests.exceptions.ConnectionError('Connection aborted.'),
        list_page([], 1, 500, 0),
    )
    assert list_relay_sources(make_client(session, retries=2), 'pull.example.com')[0] == []


@pytest.mark.parametrize(
    'status, code',
    [
        (400, 'InvalidParam'),
        (400, 'InvalidParam.BindError'),
        (403, 'RequestForbidden'),
        (403, 'RequestForbidden.BillingStatus'),
        (404, 'ResourceNotFound'),
        (401, 'SignatureDoesNotMatch'),
        (401, 'InvalidAccessKey'),
        (400, 'InvalidTimestamp'),
        (403, 'AccessDenied'),
    ],
)
def test_permanent_errors_are_never_retried(status, code):
    session = FakeSession(error_answer(status, code))
    with pytest.raises(LiveApiError) as info:
        list_relay_sources(make_client(session, retries=5), 'pull.example.com')
    assert len(session.calls) == 1
    assert info.value.attempts == 1
    assert 'attempts' not in str(info.value)


def test_the_final_failure_says_how_many_attempts_and_the_last_request_id():
    session = FakeSession(*[error_answer(500, 'InternalError', request_id='rid-%d' % i) for i in range(4)])
    with pytest.raises(LiveApiError) as info:
        list_relay_sources(make_client(session, retries=3), 'pull.example.com')
    assert len(session.calls) == 4
    message = str(info.value)
    assert message.startswith('ListRelaySourceV4 failed after 4 attempts: InternalError')
    assert 'RequestId: rid-3' in message
    assert info.value.to_result()['error']['attempts'] == 4


def test_a_throttled_write_is_retried():
    session = FakeSession(
        error_answer(429, 'FlowLimitExceeded', action='CreateRelaySourceV4'),
        FakeResponse(200, envelope(result={'TaskId': 't1'})),
    )
    assert create_relay_source(make_client(session, retries=2), BODY)[0] == 't1'
    assert len(session.calls) == 2


def test_a_write_refused_before_sending_is_retried():
    import urllib3

    refused = urllib3.exceptions.MaxRetryError(None, '/', reason=urllib3.exceptions.NewConnectionError(None, 'refused'))
    session = FakeSession(
        requests.exceptions.ConnectionError(refused), FakeResponse(200, envelope(result={'TaskId': 't'}))
    )
    assert create_relay_source(make_client(session, retries=2), BODY)[0] == 't'


@pytest.mark.parametrize(
    'failure',
    [
        requests.exceptions.ReadTimeout('read timed out'),
        requests.exceptions.ConnectionError('Connection aborted.'),
        FakeResponse(500, envelope(error={'Code': 'InternalError', 'Message': 'x'})),
        FakeResponse(502, envelope(error={'Code': 'InternalServiceError', 'Message': 'x'})),
        FakeResponse(200, envelope(error={'Code': 'CommonErr', 'Message': 'x'})),
        FakeResponse(200, '{"ResponseMetadata": {'),
    ],
)
def test_a_write_whose_outcome_is_open_is_not_resent(failure):
    session = FakeSession(failure, FakeResponse(200, envelope(result={'TaskId': 'twice'})))
    with pytest.raises(LiveApiError) as info:
        create_relay_source(make_client(session, retries=5), BODY)
    assert len(session.calls) == 1
    assert info.value.transient or info.value.code == 'InvalidResponse'


@pytest.mark.parametrize('attempt, ceiling', [(1, 0.5), (2, 1.0), (3, 2.0), (5, 8.0), (7, 20.0), (30, 20.0)])
def test_backoff_is_full_jitter_under_an_exponential_ceiling(attempt, ceiling):
    assert RetryPolicy(max_delay=20.0, rand=lambda: 1.0).delay(attempt) == ceiling
    assert RetryPolicy(max_delay=20.0, rand=lambda: 0.0).delay(attempt) == 0.0
    assert RetryPolicy(max_delay=20.0, rand=lambda: 0.25).delay(attempt) == ceiling / 4


def test_after_no_answer_the_policy_waits_at_least_its_settle_time():
    waits = []
    policy = RetryPolicy(retries=3, max_delay=20.0, unanswered_write_wait=7.5, rand=lambda: 0.5, sleep=waits.append)
    policy.wait(1)
    policy.wait(1, outcome_unknown=True)
    policy.wait(7, outcome_unknown=True)
    assert waits == [0.25, 7.5, 10.0]
    assert [policy.allows(attempt) for attempt in (1, 3, 4)] == [True, True, False]


def test_an_error_counted_again_is_a_new_error():
    error = LiveApiError('ListRelaySourceV4', 'InternalError', 'x', request_id='r1', status=500)
    counted = error.after_attempts(3)
    assert (counted.attempts, error.attempts) == (3, 1)
    assert (counted.code, counted.request_id, counted.status) == ('InternalError', 'r1', 500)
    assert 'after 3 attempts' in str(counted)


class FakePacer:
    def __init__(self):
        self.events = []

    def acquire(self, action):
        self.events.append(('acquire', action))
        return 100.0 + len(self.events)

    def answered(self, action, sent_at, throttled=False):
        self.events.append(('answered', action, sent_at, throttled))


def test_every_attempt_is_paced_and_reported():
    pacer = FakePacer()
    session = FakeSession(error_answer(429, 'FlowLimitExceeded'), list_page([], 1, 500, 0))
    list_relay_sources(make_client(session, retries=2, pacer=pacer), 'pull.example.com')
    assert pacer.events == [
        ('acquire', 'ListRelaySourceV4'),
        ('answered', 'ListRelaySourceV4', 101.0, True),
        ('acquire', 'ListRelaySourceV4'),
        ('answered', 'ListRelaySourceV4', 103.0, False),
    ]


class SilentPacer(FakePacer):
    """A pacer that paces nothing (rate_limit 0, or no shared state): acquire gives no moment."""

    def acquire(self, action):
        FakePacer.acquire(self, action)


@pytest.mark.parametrize('write', [True, False])
def test_a_throttled_request_is_first_sent_again_at_the_pacers_slot_then_backs_off(write):
    waits = []
    throttled = [error_answer(429, 'FlowLimitExceeded', action='CreateRelaySourceV4') for _unused in range(3)]
    session = FakeSession(*throttled, FakeResponse(200, envelope(result={'TaskId': 't1'})))
    client = make_client(session, retries=5, sleep=waits.append, rand=lambda: 1.0, pacer=FakePacer())
    client.call('CreateRelaySourceV4', BODY, write=write)
    assert len(session.calls) == 4
    assert waits == [0.0, 1.0, 2.0]  # the first at the pacer's slot; then the backoff of attempts 2 and 3


@pytest.mark.parametrize('pacer', [None, SilentPacer()], ids=['no pacer', 'pacer off'])
def test_a_throttled_request_not_paced_backs_off_at_once(pacer):
    waits = []
    session = FakeSession(
        error_answer(429, 'FlowLimitExceeded', action='CreateRelaySourceV4'),
        error_answer(429, 'FlowLimitExceeded', action='CreateRelaySourceV4'),
        FakeResponse(200, envelope(result={'TaskId': 't1'})),
    )
    client = make_client(session, retries=5, sleep=waits.append, rand=lambda: 1.0, pacer=pacer)
    assert create_relay_source(client, BODY)[0] == 't1'
    assert waits == [0.5, 1.0]


def test_other_transient_errors_back_off_at_once_even_when_paced():
    waits = []
    session = FakeSession(error_answer(500, 'InternalError'), list_page([], 1, 500, 0))
    client = make_client(session, retries=2, sleep=waits.append, rand=lambda: 1.0, pacer=FakePacer())
    list_relay_sources(client, 'pull.example.com')
    assert waits == [0.5]


@pytest.mark.parametrize('attempt, ceiling', [(1, 0.0), (2, 1.0), (3, 2.0), (8, 20.0)])
def test_only_the_first_paced_retry_skips_the_backoff(attempt, ceiling):
    assert RetryPolicy(max_delay=20.0, rand=lambda: 1.0).delay(attempt, paced=True) == ceiling


def test_an_answer_that_never_came_is_reported_to_the_pacer():
    pacer = FakePacer()
    session = FakeSession(requests.exceptions.ReadTimeout('slow'))
    with pytest.raises(LiveApiError):
        create_relay_source(make_client(session, retries=0, pacer=pacer), BODY)
    assert pacer.events == [
        ('acquire', 'CreateRelaySourceV4'),
        ('answered', 'CreateRelaySourceV4', 101.0, False),
    ]


# --- plain http ------------------------------------------------------------------


@pytest.mark.parametrize(
    'endpoint',
    [
        'http://127.0.0.1:18080',
        'http://127.1.2.3',
        'http://[::1]:8080',
        'http://localhost:8080',
        'http://LOCALHOST',
        'https://live.volcengineapi.com',
        'https://10.0.0.1:8443',
    ],
)
def test_http_is_for_this_machine_only(endpoint):
    assert transport_mod.plain_http_problem(endpoint) is None
    assert transport_mod.plain_http_problem(endpoint, session_token=TOKEN) is None
    make_client(FakeSession(), endpoint=endpoint, session_token=TOKEN)


@pytest.mark.parametrize(
    'endpoint',
    [
        'http://live.volcengineapi.com',
        'http://10.0.0.1:8080',
        'http://[2001:db8::1]',
        'http://128.0.0.1',
        'http://localhost.example.com',
        'http://0.0.0.0:8080',
        'HTTP://live.example.com',
    ],
)
def test_http_elsewhere_is_refused_before_anything_is_sent(endpoint):
    session = FakeSession()
    problem = transport_mod.plain_http_problem(endpoint)
    assert 'Use an https:// endpoint, or set allow_insecure_http: true' in problem
    with pytest.raises(ValueError) as info:
        make_client(session, endpoint=endpoint)
    assert str(info.value) == problem
    assert session.calls == []


def test_insecure_http_when_asked_for_but_never_with_a_session_token():
    session = FakeSession(FakeResponse(200, envelope(result={'TaskId': '1'})))
    create_relay_source(make_client(session, endpoint='http://10.0.0.1:8080', allow_insecure_http=True), BODY)
    assert session.calls[0]['url'].startswith('http://10.0.0.1:8080/?')
    with pytest.raises(ValueError) as info:
        make_client(FakeSession(), endpoint='http://10.0.0.1:8080', allow_insecure_http=True, session_token=TOKEN)
    assert 'session_token is never sent over plain http' in str(info.value)
    assert TOKEN not in str(info.value)


@pytest.mark.parametrize(
    'status, text, unknown',
    [
        (504, '<html>Gateway Time-out</html>', True),  # a proxy's page: no envelope, the same open outcome
        (504, envelope(), True),
        (500, envelope(error={'Code': 'InternalServiceTimeout', 'Message': 'slow'}), True),
        (500, envelope(error={'Code': 'InternalError', 'Message': 'broken'}), False),  # the service's own answer
        # A 5xx or a garbled 2xx that is not the service's answer may follow a request the service carried out.
        (502, envelope(), True),
        (502, '<html>Bad Gateway</html>', True),
        (200, '{"Result": {"TaskId', True),
        # A 3xx or 4xx page is a refusal before the service.
        (403, '<html>Forbidden by the proxy</html>', False),
        (301, '', False),
        (429, '', False),
    ],
)
def test_a_timeout_answer_leaves_the_outcome_open(status, text, unknown):
    with pytest.raises(LiveApiError) as info:
        errors_mod.parse_response('CreateRelaySourceV4', status, text)
    assert info.value.outcome_unknown is unknown


class _RecordingGetSession:
    """A session whose GET answers with an empty list and records what was sent."""

    def __init__(self):
        self.sent = []

    def get(self, url, headers=None, **kwargs):
        self.sent.append(dict(url=url, headers=dict(headers or {}), **kwargs))
        return FakeResponse(200, envelope(result={'List': [], 'Pagination': {'TotalCount': 0}}))

    def post(self, url, **kwargs):  # pragma: no cover - a GET action must never be posted
        raise AssertionError('a GET action was sent as a POST')


@pytest.mark.parametrize('token', [None, TOKEN])
@pytest.mark.parametrize(
    'params',
    [
        {'Page': 1, 'Size': 500},
        {'Page': 2, 'Size': 20, 'Title': '发布会 2026+', 'GroupName': 'events'},
        {'Page': 1, 'Size': 10, 'Title': "a/b?c=d&e~f'g", 'Flag': True},
    ],
)
def test_a_get_is_signed_as_the_official_sdk_signs_it(monkeypatch, params, token):
    """The SDK's own Service.get (the oracle) and the client send the same signed request for a GET action."""
    from volcengine.ApiInfo import ApiInfo
    from volcengine.base.Service import Service
    from volcengine.ServiceInfo import ServiceInfo

    monkeypatch.setattr(SignerV4, 'get_current_format_date', staticmethod(lambda: NOW.strftime('%Y%m%dT%H%M%SZ')))
    monkeypatch.delenv('VOLC_ACCESSKEY', raising=False)
    monkeypatch.setenv('HOME', '/nonexistent')
    info = ServiceInfo(
        '127.0.0.1:18080',
        {'Accept': 'application/json'},
        Credentials('AKLTtest', SECRET, 'live', 'cn-north-1', token or ''),
        10,
        10,
        'http',
    )
    sdk = Service(
        info,
        {'ListPullToPushTask': ApiInfo('GET', '/', {'Action': 'ListPullToPushTask', 'Version': '2023-01-01'}, {}, {})},
    )
    sdk_session = _RecordingGetSession()
    sdk.session = sdk_session
    sdk.get('ListPullToPushTask', dict(params), doseq=1)
    (expected,) = sdk_session.sent

    ours = _RecordingGetSession()
    client = make_client(ours, endpoint='http://127.0.0.1:18080', session_token=token)
    client.call('ListPullToPushTask', dict(params), method='GET')
    (sent,) = ours.sent
    assert sent['headers']['Authorization'] == expected['headers']['Authorization']
    for name in ('X-Date', 'X-Content-Sha256', 'Host'):
        assert sent['headers'][name] == expected['headers'][name]
    assert sent['headers']['X-Content-Sha256'] == 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    assert 'Content-Type' not in sent['headers']
    assert sorted(parse_qsl(urlsplit(sent['url']).query)) == sorted(parse_qsl(urlsplit(expected['url']).query))
    assert (sent['headers'].get('X-Security-Token') or None) == token


def test_a_get_carries_lists_as_repeated_keys_and_skips_unset_fields():
    session = _RecordingGetSession()
    make_client(session).call('ListSomething', {'Names': ['a', 'b c'], 'Unset': None, 'Page': 1}, method='GET')
    (sent,) = session.sent
    assert urlsplit(sent['url']).query == 'Action=ListSomething&Names=a&Names=b%20c&Page=1&Version=2023-01-01'
