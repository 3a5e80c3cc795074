# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The simulator's stream delivery (the streams online, one stream's state, a relayed stream's metrics), driven
through real signed HTTP requests: two GETs and a POST."""

from __future__ import annotations

import datetime
import math
import re
import time
import urllib.request

import pytest

from ansible_collections.volcengine.live.tests.unit.helpers.simulator import (
    AK,
    DROP,
    SK,
    admin,
    body_of,
    call,
    ok,
    refused,
    sdk,
    sdk_refused,
)
from ansible_collections.volcengine.live.tools.live_simulator import __main__ as cli
from ansible_collections.volcengine.live.tools.live_simulator import streams
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

PULL, PUSH = 'pull.example.com', 'push.example.com'
LISTING, STATE, METRICS = 'DescribeLiveStreamInfoByPage', 'DescribeLiveStreamState', 'DescribeLiveSourceStreamMetrics'
SESSION_RE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$')
CHINA = datetime.timezone(datetime.timedelta(hours=8))
SPACE = {'space1': {'push': [PULL], 'play': ['cdn1.example.com', 'cdn2.example.com']}}


@pytest.fixture
def sim(tmp_path):
    simulator = Simulator(
        state_path=str(tmp_path / 'state.json'), accounts={AK: SK}, domains=[PULL, PUSH], rate_limit=0
    ).start()
    yield simulator
    simulator.stop()


@pytest.fixture(scope='module')
def shared(tmp_path_factory):
    """One simulator for the tests whose requests are all refused (nothing is ever stored)."""
    simulator = Simulator(
        state_path=str(tmp_path_factory.mktemp('shared') / 'state.json'),
        accounts={AK: SK},
        domains=[PULL, PUSH],
        rate_limit=0,
    ).start()
    yield simulator
    simulator.stop()


# --- the simulator's side -------------------------------------------------------------------------------------


def configure(sim, **settings):
    return admin(sim, '/_sim/config', settings)


def at(sim, offset):
    """Move the simulator's clock to ``offset`` seconds from the host's."""
    configure(sim, clock_offset=offset)


def relay(sim, stream='s1', domain=PULL, sources=None, **extra):
    """Create a fixed relay; return its stored form (``_Updated``: when, by the simulator's clock)."""
    body = body_of(
        {'Domain': domain, 'App': 'live', 'Stream': stream, 'SrcAddrS': sources or ['rtmp://origin.example.com/a/b']},
        extra,
    )
    ok(sim, 'CreateRelaySourceV4', body)
    return stored(sim, stream)


def stored(sim, stream):
    return next(c for c in admin(sim, '/_sim/state')['configs'] if c['Stream'] == stream)


def task(sim, **extra):
    """Create a running pull-to-push task (started an hour ago, ends in an hour); return its TaskId."""
    now = int(sim.now())
    body = body_of(
        {
            'Type': 0,
            'StartTime': now - 3600,
            'EndTime': now + 3600,
            'SrcAddr': 'rtmp://src.example.com/live/src',
            'Domain': PUSH,
            'App': 'live',
            'Stream': 'p1',
        },
        extra,
    )
    return ok(sim, 'CreatePullToPushTask', body)['TaskId']


def listed(sim, **query):
    result = ok(sim, LISTING, dict({'PageNum': 1, 'PageSize': 1000}, **query))
    assert result['RoughCount'] == len(result['StreamInfoList']) or query.get('PageSize')
    return result['StreamInfoList']


def names(items):
    return [(i['Domain'], i['App'], i['Stream'], i['SourceType']) for i in items]


def stream_state(sim, app='live', stream='s1', **where):
    return ok(sim, STATE, dict({'App': app, 'Stream': stream}, **(where or {'Vhost': PULL})))


def session(seconds):
    return streams.rfc3339_ms(seconds)


def iso(seconds, zone=datetime.timezone.utc):
    return datetime.datetime.fromtimestamp(seconds, zone).isoformat()


def grid(seconds):
    """The first point of the 30-second grid at or after ``seconds``."""
    return int(math.ceil(seconds / 30.0)) * 30


def metrics(sim, start, end, zone=datetime.timezone.utc, **extra):
    """The Result of a metrics query of live/s1 by the default play domain; ``extra`` changes the body."""
    body = {'Domain': 'play.' + PULL, 'App': 'live', 'Stream': 's1', 'StartTime': iso(start, zone)}
    body['EndTime'] = iso(end, zone)
    return ok(sim, METRICS, body_of(body, extra))


# --- the official SDK, signatures, methods ----------------------------------------------------------------------


def test_the_official_sdk_requests_are_accepted(sim):
    service = sdk(sim)
    service.create_relay_source_v4(
        {'Domain': PULL, 'App': 'live', 'Stream': 's1', 'SrcAddrS': ['rtmp://origin.example.com/live/s1']}
    )
    created = stored(sim, 's1')['_Updated']
    at(sim, 600)
    answer = service.describe_live_stream_info_by_page({'PageNum': 1, 'PageSize': 10, 'QueryType': 'strict'})
    assert answer['ResponseMetadata']['Action'] == LISTING
    (item,) = answer['Result']['StreamInfoList']
    assert answer['Result']['RoughCount'] == 1 and 'Pagination' not in answer['Result']
    assert {k: item[k] for k in item if k != 'ID'} == {
        'Vhost': PULL,
        'Domain': PULL,
        'App': 'live',
        'Stream': 's1',
        'SessionStartTime': session(created + 1),  # the default delay: 1 second
        'SourceType': 'relay',
    }
    assert SESSION_RE.match(item['SessionStartTime']) and 0 < item['ID'] < 2**63
    state = service.describe_live_stream_state({'App': 'live', 'Stream': 's1', 'Domain': PULL})
    assert state['Result'] == {'stream_state': 'online', 'type': 'pull'}
    start = grid(created + 1)
    body = {
        'Domain': 'play.' + PULL,
        'App': 'live',
        'Stream': 's1',
        'StartTime': iso(start),
        'EndTime': iso(start + 300),
        'Aggregation': 30,
    }
    result = service.describe_live_source_stream_metrics(body)['Result']
    assert {k: result[k] for k in result if k != 'MetricList'} == dict(body, Aggregation=30)
    assert len(result['MetricList']) == 11
    stats = admin(sim, '/_sim/stats')
    assert {a: stats['by_action'][a] for a in (LISTING, STATE, METRICS)} == {LISTING: 1, STATE: 1, METRICS: 1}


def test_a_wrong_secret_or_a_tampered_query_is_refused(sim):
    service = sdk(sim, secret='wrong')
    assert sdk_refused(service.describe_live_stream_info_by_page, {'PageNum': 1, 'PageSize': 10})['Code'] == (
        'SignatureDoesNotMatch'
    )
    assert sdk_refused(service.describe_live_stream_state, {'App': 'a', 'Stream': 's', 'Vhost': PULL})['Code'] == (
        'SignatureDoesNotMatch'
    )
    body = {'Domain': PULL, 'App': 'a', 'Stream': 's', 'StartTime': iso(0), 'EndTime': iso(30)}
    assert sdk_refused(service.describe_live_source_stream_metrics, body)['Code'] == 'SignatureDoesNotMatch'
    status, answer = call(sim, LISTING, {'PageNum': 1, 'PageSize': 5}, sent_query={'PageSize': '6'})
    assert (status, answer['ResponseMetadata']['Error']['Code']) == (401, 'SignatureDoesNotMatch')
    assert admin(sim, '/_sim/stats')['auth_failures'] == 4


@pytest.mark.parametrize('action, method', [(LISTING, 'POST'), (STATE, 'POST'), (METRICS, 'GET')])
def test_each_action_takes_its_own_method(shared, action, method):
    status, code, message = refused(shared, action, {}, method=method)
    assert (status, code) == (405, 'MethodNotAllowed')
    assert message == '%s accepts %s only' % (action, 'POST' if method == 'GET' else 'GET')


# --- what the service refuses ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    'query, code, words',
    [
        ({'PageNum': DROP}, 'InvalidParam', 'PageNum is required'),
        ({'PageSize': DROP}, 'InvalidParam', 'PageSize is required'),
        ({'PageNum': 0}, 'InvalidParam.OutOfRange', 'PageNum'),
        ({'PageNum': -1}, 'InvalidParam.OutOfRange', 'PageNum'),
        ({'PageSize': 0}, 'InvalidParam.OutOfRange', 'PageSize'),
        ({'PageSize': 1001}, 'InvalidParam.OutOfRange', 'PageSize'),
        ({'PageSize': 'ten'}, 'InvalidParam.BindError', 'PageSize'),
        ({'PageNum': ['1', '2']}, 'InvalidParam.BindError', 'PageNum'),
        ({'App': 'a/b'}, 'InvalidParam', 'App'),
        ({'App': 'a' * 31}, 'InvalidParam', 'App'),
        ({'Stream': 's' * 101}, 'InvalidParam', 'Stream'),
        ({'Stream': 'bad stream'}, 'InvalidParam', 'Stream'),
        ({'QueryType': 'exact'}, 'InvalidParam', 'QueryType'),
        ({'SourceType': 'pull'}, 'InvalidParam', 'SourceType'),
        ({'StreamType': 'hd'}, 'InvalidParam', 'StreamType'),
    ],
)
def test_listing_rejects(shared, query, code, words):
    status, got, message = refused(shared, LISTING, body_of({'PageNum': 1, 'PageSize': 10}, query))
    assert (status, got) == (400, code) and words in message


@pytest.mark.parametrize(
    'query',
    [
        {'PageSize': 1000},
        {'PageSize': 1, 'PageNum': 99},
        {'App': 'a' * 30, 'Stream': 's' * 100},
        {'App': '', 'Stream': '', 'Vhost': '', 'Domain': '', 'QueryType': '', 'SourceType': '', 'StreamType': ''},
        {'QueryType': 'fuzzy', 'SourceType': 'push', 'StreamType': 'origin'},
        {'SourceType': 'relay', 'StreamType': 'trans', 'Vhost': PULL, 'Domain': 'play.' + PULL},
    ],
)
def test_listing_accepts(shared, query):
    assert ok(shared, LISTING, body_of({'PageNum': 1, 'PageSize': 10}, query)) == {
        'RoughCount': 0,
        'StreamInfoList': [],
    }


@pytest.mark.parametrize(
    'query, words',
    [
        ({'App': DROP}, 'App is required'),
        ({'Stream': DROP}, 'Stream is required'),
        ({'Stream': ''}, 'Stream is required'),
        ({'Stream': 'a/b'}, 'Stream'),
        ({'App': 'a' * 31}, 'App'),
        ({'Domain': PULL}, 'exactly one of Domain and Vhost'),
        ({'Vhost': DROP}, 'exactly one of Domain and Vhost'),
        ({'Vhost': ''}, 'exactly one of Domain and Vhost'),
    ],
)
def test_state_rejects(shared, query, words):
    status, code, message = refused(shared, STATE, body_of({'App': 'live', 'Stream': 's1', 'Vhost': PULL}, query))
    assert (status, code) == (400, 'InvalidParam') and words in message


NOW = int(time.time())
START = NOW - NOW % 30 - 3600


@pytest.mark.parametrize(
    'change, code, words',
    [
        ({'Domain': DROP}, 'InvalidParam', 'Domain is required'),
        ({'App': DROP}, 'InvalidParam', 'App is required'),
        ({'Stream': DROP}, 'InvalidParam', 'Stream is required'),
        ({'StartTime': DROP}, 'InvalidParam', 'StartTime is required'),
        ({'EndTime': DROP}, 'InvalidParam', 'EndTime is required'),
        ({'Stream': 'a b'}, 'InvalidParam', 'Stream'),
        ({'StartTime': START}, 'InvalidParam.BindError', 'StartTime'),
        ({'StartTime': iso(START).replace('T', ' ')}, 'InvalidParam', 'RFC 3339'),
        ({'StartTime': iso(START)[:19]}, 'InvalidParam', 'RFC 3339'),  # no timezone
        ({'StartTime': iso(START)[:19] + '.500Z'}, 'InvalidParam', 'RFC 3339'),  # to the second only
        ({'StartTime': '2026-13-01T00:00:00Z'}, 'InvalidParam', 'not a valid time'),
        ({'EndTime': iso(START)}, 'InvalidParam', 'EndTime must be later'),
        ({'EndTime': iso(START - 30)}, 'InvalidParam', 'EndTime must be later'),
        ({'EndTime': iso(START + 86401)}, 'InvalidParam.OutOfRange', '1 day'),
        (
            {'StartTime': iso(NOW - 367 * 86400), 'EndTime': iso(NOW - 367 * 86400 + 60)},
            'InvalidParam.OutOfRange',
            '366 days',
        ),
        ({'Aggregation': 60}, 'InvalidParam', 'Aggregation'),
        ({'Aggregation': '30'}, 'InvalidParam.BindError', 'Aggregation'),
        ({'Aggregation': True}, 'InvalidParam.BindError', 'Aggregation'),
    ],
)
def test_metrics_rejects(shared, change, code, words):
    body = {'Domain': PULL, 'App': 'live', 'Stream': 's1', 'StartTime': iso(START), 'EndTime': iso(START + 60)}
    status, got, message = refused(shared, METRICS, body_of(body, change))
    assert (status, got) == (400, code) and words in message


def test_metrics_rejects_a_body_that_is_not_an_object(shared):
    assert refused(shared, METRICS, ['Domain'])[:2] == (400, 'InvalidParam.BindError')


@pytest.mark.parametrize(
    'change',
    [
        {'EndTime': iso(START + 86400)},  # exactly one day
        {'Aggregation': 30},
        {'Aggregation': None},
        {'StartTime': iso(NOW - 365 * 86400), 'EndTime': iso(NOW - 365 * 86400 + 60)},
        {'StartTime': iso(START, CHINA), 'EndTime': iso(START + 60, CHINA)},
        {'StartTime': iso(START)[:19] + 'Z'},
    ],
)
def test_metrics_accepts(shared, change):
    body = {'Domain': PULL, 'App': 'live', 'Stream': 's1', 'StartTime': iso(START), 'EndTime': iso(START + 60)}
    assert ok(shared, METRICS, body_of(body, change))['MetricList'] == []


@pytest.mark.parametrize(
    'action, body',
    [
        (LISTING, {'PageNum': 1, 'PageSize': 10, 'Domain': 'nobody.example.com'}),
        (LISTING, {'PageNum': 1, 'PageSize': 10, 'Vhost': 'nobody'}),
        (STATE, {'App': 'live', 'Stream': 's1', 'Domain': 'nobody.example.com'}),
        (STATE, {'App': 'live', 'Stream': 's1', 'Vhost': 'nobody'}),
        (
            METRICS,
            {'Domain': 'nobody.example.com', 'App': 'a', 'Stream': 's', 'StartTime': iso(START), 'EndTime': iso(NOW)},
        ),
    ],
)
def test_a_domain_or_space_of_another_account_is_forbidden(shared, action, body):
    assert refused(shared, action, body)[:2] == (403, 'RequestForbidden.AccountIDNotAllow')


# --- online: the delay, the window, deletion ------------------------------------------------------------------


def test_a_permanent_relay_is_online_after_the_delay(sim):
    configure(sim, stream_online_delay=100)
    created = relay(sim)['_Updated']
    assert listed(sim) == []
    assert stream_state(sim) == {'stream_state': 'offline', 'type': 'pull'}  # never seen: the default mode
    at(sim, 101)
    (item,) = listed(sim)
    assert item['SessionStartTime'] == session(created + 100)
    assert stream_state(sim) == {'stream_state': 'online', 'type': 'pull'}
    at(sim, 10**6)  # permanent: no end
    assert listed(sim) == [item]
    configure(sim, stream_online_delay=0)
    assert listed(sim)[0]['SessionStartTime'] == session(created)


def test_a_timed_relay_is_online_within_its_window(sim):
    configure(sim, stream_online_delay=60)
    now = int(time.time())
    relay(sim, StartTime=now + 1000, EndTime=now + 2000)
    for offset in (0, 999, 1055):  # the host's clock is up to a second past `now`
        at(sim, offset)
        assert listed(sim) == [], offset
    at(sim, 1061)
    (item,) = listed(sim)
    assert item['SessionStartTime'] == session(now + 1060)  # the window's start, not the creation, plus the delay
    at(sim, 1990)
    assert len(listed(sim)) == 1
    at(sim, 2000)
    assert listed(sim) == []
    assert stream_state(sim) == {'stream_state': 'offline', 'type': 'pull'}
    configure(sim, never_seen_state='error')
    assert stream_state(sim) == {'stream_state': 'offline', 'type': 'pull'}  # seen before, then gone


def test_a_relay_created_within_its_window_starts_when_created(sim):
    configure(sim, stream_online_delay=5)
    now = int(time.time())
    created = relay(sim, StartTime=now - 600, EndTime=now + 600)['_Updated']
    at(sim, 10)
    assert listed(sim)[0]['SessionStartTime'] == session(created + 5)


def test_deletion_takes_a_stream_offline(sim):
    configure(sim, stream_online_delay=0, never_seen_state='error')
    relay(sim)
    relay(sim, 's2')
    assert [i['Stream'] for i in listed(sim)] == ['s1', 's2']
    ok(sim, 'DeleteRelaySourceV4', {'Domain': PULL, 'App': 'live', 'Stream': 's1'})
    assert [i['Stream'] for i in listed(sim)] == ['s2']
    assert stream_state(sim) == {'stream_state': 'offline', 'type': 'pull'}
    assert stream_state(sim, stream='s2') == {'stream_state': 'online', 'type': 'pull'}
    at(sim, 3600)
    assert stream_state(sim) == {'stream_state': 'offline', 'type': 'pull'}  # remembered


def test_an_update_restarts_the_session(sim):
    configure(sim, stream_online_delay=30)
    relay(sim)
    at(sim, 100)
    assert len(listed(sim)) == 1
    ok(sim, 'UpdateRelaySourceV4', {'Domain': PULL, 'App': 'live', 'Stream': 's1', 'SrcAddrS': ['rtmp://o2.x/a/b']})
    updated = stored(sim, 's1')['_Updated']
    assert listed(sim) == []
    assert stream_state(sim) == {'stream_state': 'offline', 'type': 'pull'}
    at(sim, 131)
    assert listed(sim)[0]['SessionStartTime'] == session(updated + 30)


def test_ids_are_stable_and_sessions_have_milliseconds(sim):
    configure(sim, stream_online_delay=0.25)
    relay(sim, 'a')
    relay(sim, 'b')
    at(sim, 1)
    first, second = listed(sim)
    assert first['ID'] != second['ID']
    at(sim, 500)
    assert [i['ID'] for i in listed(sim)] == [first['ID'], second['ID']]
    assert all(SESSION_RE.match(i['SessionStartTime']) for i in (first, second))
    assert streams.rfc3339_ms(1796464801.0) == '2026-12-05T10:00:01.000Z'
    assert streams.rfc3339_ms(1796464801.2509) == '2026-12-05T10:00:01.250Z'


# --- sources down and up --------------------------------------------------------------------------------------


def test_sources_down_and_up(sim):
    configure(sim, stream_online_delay=10)
    relay(sim, 'both', sources=['rtmp://a.example.com/l/s', 'rtmp://B.example.com:1935/l/s'])
    relay(sim, 'only', sources=['rtmp://a.example.com/l/s'])
    at(sim, 20)
    assert [i['Stream'] for i in listed(sim)] == ['both', 'only']
    assert admin(sim, '/_sim/sources', {'down': ['A.example.com']}) == {'ok': True, 'down': ['a.example.com']}
    assert [i['Stream'] for i in listed(sim)] == ['both']  # its other host is up
    assert stream_state(sim, stream='only') == {'stream_state': 'offline', 'type': 'pull'}
    admin(sim, '/_sim/sources', {'down': ['b.example.com']})
    assert listed(sim) == []
    assert admin(sim, '/_sim/sources') == {'down': ['a.example.com', 'b.example.com']}
    assert admin(sim, '/_sim/streams') == {'online': [], 'down_hosts': ['a.example.com', 'b.example.com']}
    at(sim, 100)
    admin(sim, '/_sim/sources', {'up': ['a.example.com']})
    back = sim.streams.host_events()['a.example.com'][-1][0]
    assert listed(sim) == []  # not before the delay
    at(sim, 111)
    assert [(i['Stream'], i['SessionStartTime']) for i in listed(sim)] == [
        ('both', session(back + 10)),
        ('only', session(back + 10)),
    ]
    assert admin(sim, '/_sim/streams')['online'] == listed(sim)
    # Marking again changes nothing; reset with state clears the marks.
    admin(sim, '/_sim/sources', {'up': ['a.example.com', 'c.example.com'], 'down': []})
    assert admin(sim, '/_sim/sources')['down'] == ['b.example.com']
    admin(sim, '/_sim/reset', {})
    assert admin(sim, '/_sim/sources')['down'] == ['b.example.com']
    admin(sim, '/_sim/reset', {'state': True})
    assert admin(sim, '/_sim/streams') == {'online': [], 'down_hosts': []}


@pytest.mark.parametrize(
    'body', [{'down': 'a.example.com'}, {'down': [5]}, {'down': ['a/b']}, {'offline': ['a.example.com']}, []]
)
def test_sources_refuses_a_bad_body(shared, body):
    with pytest.raises(urllib.error.HTTPError) as info:
        admin(shared, '/_sim/sources', body)
    assert info.value.code == 400
    assert admin(shared, '/_sim/sources') == {'down': []}


# --- the domain a relay is listed under ------------------------------------------------------------------------


@pytest.mark.parametrize('mode, domain', [('push', PULL), ('play', 'cdn1.example.com')])
def test_relay_stream_domain_modes(sim, mode, domain):
    configure(sim, stream_online_delay=0, domain_spaces=SPACE, relay_stream_domain=mode)
    relay(sim)
    task(sim)
    everything = listed(sim)
    assert names(everything) == [(PUSH, 'live', 'p1', 'push'), (domain, 'live', 's1', 'relay')]
    assert [i['Vhost'] for i in everything] == [PUSH, 'space1']
    assert names(listed(sim, Vhost='space1')) == [(domain, 'live', 's1', 'relay')]
    assert names(listed(sim, Vhost='space1', SourceType='relay')) == [(domain, 'live', 's1', 'relay')]
    assert listed(sim, Vhost='space1', SourceType='push') == []
    assert names(listed(sim, SourceType='push')) == [(PUSH, 'live', 'p1', 'push')]
    assert names(listed(sim, Domain=domain.upper())) == [(domain, 'live', 's1', 'relay')]
    other = 'cdn1.example.com' if mode == 'push' else PULL
    assert listed(sim, Domain=other) == []
    assert listed(sim, Domain='cdn2.example.com') == []
    online = {'stream_state': 'online', 'type': 'pull'}
    assert stream_state(sim, Vhost='space1') == online
    assert stream_state(sim, Domain=domain) == online
    # By the other domain it is a stream never seen: offline, or an error in that mode.
    assert stream_state(sim, Domain=other) == {'stream_state': 'offline', 'type': 'pull'}
    configure(sim, never_seen_state='error')
    assert refused(sim, STATE, {'App': 'live', 'Stream': 's1', 'Domain': other})[:2] == (
        404,
        'ResourceNotFound.StreamNotFound',
    )


def test_the_default_domain_spaces(sim):
    configure(sim, stream_online_delay=0, relay_stream_domain='play')
    relay(sim)
    (item,) = listed(sim)
    assert (item['Vhost'], item['Domain']) == (PULL, 'play.' + PULL)
    assert configure(sim)['domain_spaces'] == {
        PULL: {'push': [PULL], 'play': ['play.' + PULL]},
        PUSH: {'push': [PUSH], 'play': ['play.' + PUSH]},
    }


def test_filters(sim):
    configure(sim, stream_online_delay=0)
    for stream in ('match-1', 'match-2', 'other'):
        relay(sim, stream)
    relay(sim, 'match-1', domain=PUSH, App='news')
    assert [i['Stream'] for i in listed(sim, Stream='match')] == []
    assert [i['Stream'] for i in listed(sim, Stream='match-1')] == ['match-1', 'match-1']
    assert [i['Stream'] for i in listed(sim, Stream='match', QueryType='fuzzy')] == ['match-1', 'match-2', 'match-1']
    assert listed(sim, Stream='MATCH', QueryType='fuzzy') == []  # case-sensitive
    assert names(listed(sim, App='news')) == [(PUSH, 'news', 'match-1', 'relay')]
    assert len(listed(sim, Vhost=PULL)) == 3 and len(listed(sim, Domain=PUSH)) == 1
    assert len(listed(sim, StreamType='origin')) == 4
    assert listed(sim, StreamType='trans') == []
    assert listed(sim, SourceType='push') == []


# --- never seen -------------------------------------------------------------------------------------------------


def test_never_seen_state_modes(sim):
    assert stream_state(sim, stream='ghost') == {'stream_state': 'offline', 'type': 'pull'}
    configure(sim, never_seen_state='error')
    status, code, message = refused(sim, STATE, {'App': 'live', 'Stream': 'ghost', 'Vhost': PULL})
    assert (status, code) == (404, 'ResourceNotFound.StreamNotFound') and 'never' in message
    # A relay whose window has not opened yet has not been seen either.
    now = int(time.time())
    relay(sim, 'later', StartTime=now + 600, EndTime=now + 1200)
    assert refused(sim, STATE, {'App': 'live', 'Stream': 'later', 'Vhost': PULL})[1] == code
    at(sim, 700)
    assert stream_state(sim, stream='later') == {'stream_state': 'online', 'type': 'pull'}


# --- pull-to-push destinations ------------------------------------------------------------------------------------


def test_a_running_task_puts_its_live_destination_online(sim):
    configure(sim, stream_online_delay=5)
    by_fields = task(sim)
    began = sim.streams.began()[by_fields]
    task(sim, Domain=DROP, App=DROP, Stream=DROP, DstAddr='rtmp://PUSH.example.com/live/p2?token=x')
    task(sim, Stream='p3', Domain='elsewhere.example.com')  # not a simulator domain
    task(sim, Domain=DROP, App=DROP, Stream=DROP, DstAddr='rtmp://push.example.com/live/a/b')  # no Live stream
    task(sim, Stream='p4', StartTime=int(sim.now()) + 600, EndTime=int(sim.now()) + 1200)  # not started
    assert listed(sim) == []
    at(sim, 6)
    assert names(listed(sim)) == [(PUSH, 'live', 'p1', 'push'), (PUSH, 'live', 'p2', 'push')]
    assert listed(sim)[0]['SessionStartTime'] == session(began + 5)  # created within its window
    assert stream_state(sim, stream='p1', Domain=PUSH) == {'stream_state': 'online', 'type': 'push'}
    assert stream_state(sim, stream='p4', Vhost=PUSH) == {'stream_state': 'offline', 'type': 'pull'}  # never seen
    assert stream_state(sim, stream='p3', Vhost=PUSH) == {'stream_state': 'offline', 'type': 'pull'}


def test_a_stopped_task_does_not_and_a_continued_one_does_again(sim):
    configure(sim, stream_online_delay=0, never_seen_state='error')
    task_id = task(sim)
    assert names(listed(sim)) == [(PUSH, 'live', 'p1', 'push')]
    ok(sim, 'StopPullToPushTask', {'TaskId': task_id})
    assert listed(sim) == []
    assert stream_state(sim, stream='p1', Vhost=PUSH) == {'stream_state': 'offline', 'type': 'push'}
    at(sim, 60)
    ok(sim, 'ContinuePullToPushTask', {'TaskId': task_id})
    continued = sim.streams.began()[task_id]
    assert listed(sim)[0]['SessionStartTime'] == session(continued)
    ok(sim, 'ContinuePullToPushTask', {'TaskId': task_id})  # running already: the session goes on
    assert listed(sim)[0]['SessionStartTime'] == session(continued)
    ok(sim, 'DeletePullToPushTask', {'TaskId': task_id})
    assert listed(sim) == []
    assert stream_state(sim, stream='p1', Vhost=PUSH) == {'stream_state': 'offline', 'type': 'push'}


def test_a_seeded_task_runs_from_its_start_and_ends_at_its_end(sim):
    configure(sim, stream_online_delay=2)
    now = int(time.time())
    body = {
        'Type': 0,
        'StartTime': now + 100,
        'EndTime': now + 200,
        'SrcAddr': 'rtmp://src.example.com/live/src',
        'DstAddr': 'rtmp://push.example.com/live/seeded',
    }
    admin(sim, '/_sim/state', {'pull_to_push_tasks': [body, dict(body, stopped=True, DstAddr=body['DstAddr'] + 'x')]})
    at(sim, 100)
    assert listed(sim) == []
    at(sim, 102)
    assert [(i['Stream'], i['SessionStartTime']) for i in listed(sim)] == [('seeded', session(now + 102))]
    at(sim, 200)
    assert listed(sim) == []


# --- pages ------------------------------------------------------------------------------------------------------


def test_pages_over_more_than_a_thousand_streams(sim):
    configure(sim, stream_online_delay=0)
    admin(sim, '/_sim/state', {'generate': {'domain': PULL, 'count': 1205, 'stream_prefix': 'g-'}})
    pages = [ok(sim, LISTING, {'PageNum': page, 'PageSize': 1000}) for page in (1, 2, 3)]
    assert [len(p['StreamInfoList']) for p in pages] == [1000, 205, 0]
    assert [p['RoughCount'] for p in pages] == [1205, 1205, 1205]
    streamed = [i['Stream'] for p in pages for i in p['StreamInfoList']]
    assert streamed == ['g-%04d' % i for i in range(1205)]
    assert len({i['ID'] for p in pages for i in p['StreamInfoList']}) == 1205
    small = [ok(sim, LISTING, {'PageNum': page, 'PageSize': 500})['StreamInfoList'] for page in (1, 2, 3)]
    assert [i for page in small for i in page] == [i for p in pages for i in p['StreamInfoList']]


# --- metrics ----------------------------------------------------------------------------------------------------


def test_metrics_one_sample_per_30_seconds_while_online(sim):
    configure(sim, stream_online_delay=0)
    created = relay(sim)['_Updated']
    at(sim, 3600)
    first = grid(created)
    result = metrics(sim, first - 90, first + 600, zone=CHINA)
    stamps = [m['TimeStamp'] for m in result['MetricList']]
    assert stamps == [iso(t, CHINA) for t in range(first, first + 601, 30)]  # none before it was created
    assert all(s.endswith('+08:00') for s in stamps)
    sample = result['MetricList'][0]
    assert set(sample) == {
        'TimeStamp',
        'Bitrate',
        'Framerate',
        'AudioBitrate',
        'AudioFramerate',
        'VideoFrameGap',
        'AudioFrameGap',
        'PtsDelta',
        'VideoPts',
        'AudioPts',
    }
    for key in ('Bitrate', 'Framerate', 'AudioBitrate', 'AudioFramerate', 'VideoFrameGap', 'AudioFrameGap'):
        assert isinstance(sample[key], float) and sample[key] > 0, key
    assert 2400 <= sample['Bitrate'] <= 2800 and 24 <= sample['Framerate'] <= 26
    assert isinstance(sample['VideoPts'], int) and isinstance(sample['AudioPts'], int)
    pts = [m['VideoPts'] for m in result['MetricList']]
    assert pts == sorted(pts) and pts[1] - pts[0] == 30000
    assert metrics(sim, first - 90, first + 600, zone=CHINA) == result  # deterministic
    # A grid point on the window's ends is in it; a window in UTC answers in UTC ('Z' as sent).
    body = {'Domain': 'play.' + PULL, 'App': 'live', 'Stream': 's1'}
    body.update(StartTime=iso(first + 60)[:19] + 'Z', EndTime=iso(first + 120)[:19] + 'Z')
    stamps = [m['TimeStamp'] for m in ok(sim, METRICS, body)['MetricList']]
    assert stamps == [iso(t)[:19] + 'Z' for t in (first + 60, first + 90, first + 120)]
    # Nothing after now.
    at(sim, 100)
    before = sim.now()
    later = metrics(sim, first, first + 3000)['MetricList']
    after = sim.now()
    assert len(range(first, int(before) + 1, 30)) <= len(later) <= len(range(first, int(after) + 1, 30))
    assert 3 <= len(later) <= 4


def test_metrics_only_while_the_relay_was_online(sim):
    configure(sim, stream_online_delay=60)
    created = relay(sim)['_Updated']
    at(sim, 600)
    admin(sim, '/_sim/sources', {'down': ['origin.example.com']})
    at(sim, 900)
    admin(sim, '/_sim/sources', {'up': ['origin.example.com']})
    at(sim, 1500)
    ok(sim, 'DeleteRelaySourceV4', {'Domain': PULL, 'App': 'live', 'Stream': 's1'})
    at(sim, 2400)
    (down, _what), (up, _what) = sim.streams.host_events()['origin.example.com']
    (gone,) = sim.streams.past()
    deleted = gone['periods'][-1][1]
    assert deleted >= up + 590
    start = grid(created) - 300
    samples = metrics(sim, start, start + 3000)['MetricList']
    stamps = [datetime.datetime.fromisoformat(m['TimeStamp']).timestamp() for m in samples]
    expected = [t for t in range(start, start + 3001, 30) if created + 60 <= t < down or up + 60 <= t < deleted]
    assert stamps == expected and len(expected) > 30
    assert not [t for t in stamps if down <= t < up + 60]


def test_metrics_by_domain_and_of_relays_only(sim):
    configure(sim, stream_online_delay=0, domain_spaces=SPACE)
    created = relay(sim)['_Updated']
    task(sim, Domain=PULL, Stream='pushed')
    at(sim, 600)
    window = (grid(created), grid(created) + 120)
    assert len(metrics(sim, *window, Domain='cdn1.example.com')['MetricList']) == 5
    assert len(metrics(sim, *window, Domain='cdn2.example.com')['MetricList']) == 5
    assert metrics(sim, *window, Domain=PULL)['MetricList'] == []  # the push domain: the API takes a play domain
    assert metrics(sim, *window, Domain=PUSH)['MetricList'] == []  # another space
    assert metrics(sim, *window, Domain=PULL, Stream='pushed')['MetricList'] == []  # pushed, not relayed
    assert metrics(sim, *window, Domain=PULL, Stream='nosuch')['MetricList'] == []
    configure(sim, relay_stream_domain='play')
    assert metrics(sim, *window, Domain=PULL)['MetricList'] == []
    assert len(metrics(sim, *window, Domain='cdn2.example.com')['MetricList']) == 5
    plays = ok(
        sim, 'ListDomainDetail', {'PageNum': 1, 'PageSize': 10, 'VhostList': ['space1'], 'DomainTypeList': ['pull-flv']}
    )
    assert [item['Domain'] for item in plays['DomainList']] == ['cdn1.example.com', 'cdn2.example.com']


# --- rate limits, counters, faults -------------------------------------------------------------------------------


def burst(sim, action, count, body):
    started = time.monotonic()
    statuses = [call(sim, action, body)[0] for _unused in range(count)]
    assert time.monotonic() - started < 0.9, 'too slow to test a one-second window'
    return statuses


def test_the_rate_limit_applies_per_action(sim):
    configure(sim, rate_limit=10)
    query = {'App': 'live', 'Stream': 's1', 'Vhost': PULL}
    body = {'Domain': PULL, 'App': 'live', 'Stream': 's1', 'StartTime': iso(START), 'EndTime': iso(START + 60)}
    assert burst(sim, STATE, 11, query) == [200] * 10 + [429]
    assert burst(sim, LISTING, 11, {'PageNum': 1, 'PageSize': 1}) == [200] * 10 + [429]
    assert burst(sim, METRICS, 11, body) == [200] * 10 + [429]
    status, answer = call(sim, STATE, query)
    assert (status, answer['ResponseMetadata']['Error']['Code']) == (429, 'FlowLimitExceeded')
    stats = admin(sim, '/_sim/stats')
    assert stats['throttled'] == 4
    assert {a: stats['by_action'][a] for a in (LISTING, STATE, METRICS)} == {LISTING: 11, STATE: 12, METRICS: 11}


def test_faults_for_the_stream_actions(sim):
    admin(
        sim,
        '/_sim/faults',
        {
            'faults': [
                {'kind': 'http500', 'action': LISTING},
                {'kind': 'error', 'status': 400, 'code': 'InvalidParam', 'action': STATE, 'stream': 'cursed'},
                {'kind': 'common_err', 'action': METRICS},
            ]
        },
    )
    assert sdk_refused(sdk(sim).describe_live_stream_info_by_page, {'PageNum': 1, 'PageSize': 1})['Code'] == (
        'InternalError'
    )
    assert stream_state(sim, stream='blessed')['stream_state'] == 'offline'
    assert refused(sim, STATE, {'App': 'live', 'Stream': 'cursed', 'Vhost': PULL})[:2] == (400, 'InvalidParam')
    body = {'Domain': PULL, 'App': 'live', 'Stream': 's1', 'StartTime': iso(START), 'EndTime': iso(START + 60)}
    assert refused(sim, METRICS, body)[:2] == (200, 'CommonErr')
    assert admin(sim, '/_sim/stats')['faults'] == 3
    assert ok(sim, LISTING, {'PageNum': 1, 'PageSize': 1}) == {'RoughCount': 0, 'StreamInfoList': []}


# --- configuration --------------------------------------------------------------------------------------------


def test_the_configuration_lists_the_defaults_and_keeps_them_over_a_reset(sim):
    config = configure(sim)
    assert (config['stream_online_delay'], config['relay_stream_domain'], config['never_seen_state']) == (
        1.0,
        'push',
        'offline',
    )
    changed = {'stream_online_delay': 0, 'relay_stream_domain': 'play', 'never_seen_state': 'error'}
    configure(sim, domain_spaces=SPACE, **changed)
    admin(sim, '/_sim/reset', {'stats': True, 'faults': True, 'state': True})
    config = configure(sim)
    assert {k: config[k] for k in changed} == changed
    assert config['domain_spaces'] == {
        'space1': {'push': [PULL], 'play': ['cdn1.example.com', 'cdn2.example.com']},
        PUSH: {'push': [PUSH], 'play': ['play.' + PUSH]},
    }
    # What GET answers can be posted back; an empty map returns every domain to its default space.
    assert configure(sim, domain_spaces=config['domain_spaces'])['domain_spaces'] == config['domain_spaces']
    assert configure(sim, domain_spaces={})['domain_spaces'][PULL] == {'push': [PULL], 'play': ['play.' + PULL]}


def test_a_space_may_hold_several_push_domains_and_new_domains_get_their_default(sim):
    spaces = {'both': {'push': [PULL, PUSH], 'play': ['cdn.example.com']}}
    configure(sim, stream_online_delay=0, domain_spaces=spaces)
    relay(sim, 'x')
    relay(sim, 'y', domain=PUSH)
    assert [(i['Vhost'], i['Domain']) for i in listed(sim, Vhost='both')] == [('both', PULL), ('both', PUSH)]
    assert configure(sim, domains=['new.example.com'])['domain_spaces']['new.example.com'] == {
        'push': ['new.example.com'],
        'play': ['play.new.example.com'],
    }


@pytest.mark.parametrize(
    'body',
    [
        {'relay_stream_domain': 'cdn'},
        {'never_seen_state': 'maybe'},
        {'stream_online_delay': -1},
        {'stream_online_delay': '1'},
        {'stream_online_delay': True},
        {'domain_spaces': []},
        {'domain_spaces': {'v': {'push': ['nobody.example.com'], 'play': ['p.example.com']}}},
        {'domain_spaces': {'v': {'push': [PULL]}}},
        {'domain_spaces': {'v': {'push': [PULL], 'play': []}}},
        {'domain_spaces': {'v': {'push': [PULL], 'play': ['p.example.com'], 'pull': []}}},
        {'domain_spaces': {'v': {'push': [], 'play': ['p.example.com']}}},
        {'domain_spaces': {'v': {'push': [PULL], 'play': [PUSH]}}},  # a push domain cannot also be a play domain
        {
            'domain_spaces': {
                'v': {'push': [PULL], 'play': ['p.example.com']},
                'w': {'push': [PUSH], 'play': ['P.example.com']},
            }
        },
        {'domain_spaces': {PUSH: {'push': [PULL], 'play': ['p.example.com']}}},  # PUSH's default space
        {'domain_spaces': {'v': {'push': [PULL], 'play': ['play.' + PUSH]}}},  # PUSH's default play domain
        {'domains': ['cdn1.example.com'], 'domain_spaces': SPACE},  # both a domain and a play domain
        {'rate_limit': 3, 'relay_stream_domain': 'play', 'never_seen_state': 'nope'},
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(shared, body):
    before = admin(shared, '/_sim/config')
    with pytest.raises(urllib.error.HTTPError) as info:
        admin(shared, '/_sim/config', body)
    assert info.value.code == 400
    assert admin(shared, '/_sim/config') == before


def test_a_domain_added_later_may_not_take_a_play_domain(sim):
    configure(sim, domain_spaces=SPACE)
    with pytest.raises(urllib.error.HTTPError):
        configure(sim, domains=['cdn2.example.com'])
    assert 'cdn2.example.com' not in configure(sim)['domains']


def test_modes_from_the_constructor_and_the_command_line():
    simulator = Simulator(relay_stream_domain='play', never_seen_state='error', stream_online_delay=0)
    assert (simulator.relay_stream_domain, simulator.never_seen_state, simulator.stream_online_delay) == (
        'play',
        'error',
        0.0,
    )
    with pytest.raises(ValueError):
        Simulator(never_seen_state='sometimes')
    args = cli.parse_args(
        ['--relay-stream-domain', 'play', '--never-seen-state', 'error', '--stream-online-delay', '0']
    )
    assert (args.relay_stream_domain, args.never_seen_state, args.stream_online_delay) == ('play', 'error', 0.0)
    args = cli.parse_args([])
    assert (args.relay_stream_domain, args.never_seen_state, args.stream_online_delay) == ('push', 'offline', 1.0)


def test_marks_and_history_survive_a_restart(tmp_path):
    path = str(tmp_path / 'state.json')
    first = Simulator(state_path=path, accounts={AK: SK}, rate_limit=0, stream_online_delay=0).start()
    try:
        relay(first, 'gone')
        ok(first, 'DeleteRelaySourceV4', {'Domain': PULL, 'App': 'live', 'Stream': 'gone'})
        admin(first, '/_sim/sources', {'down': ['origin.example.com']})
    finally:
        first.stop()
    second = Simulator(state_path=path, accounts={AK: SK}, rate_limit=0, never_seen_state='error').start()
    try:
        assert admin(second, '/_sim/sources') == {'down': ['origin.example.com']}
        assert stream_state(second, stream='gone') == {'stream_state': 'offline', 'type': 'pull'}
    finally:
        second.stop()


def test_describe_domain_names_the_space_and_type_of_each_domain_the_account_has(sim):
    answer = ok(sim, 'DescribeDomain', {'DomainList': [PULL, 'play.' + PULL, 'stranger.example.com']})
    assert answer['DomainList'] == [
        {'Vhost': PULL, 'Domain': PULL, 'Type': 'push', 'Status': 0, 'PushDomain': PULL},
        {'Vhost': PULL, 'Domain': 'play.' + PULL, 'Type': 'pull-flv', 'Status': 0, 'PushDomain': PULL},
    ]
    assert sdk(sim).describe_domain({'DomainList': [PULL]})['Result']['DomainList'][0]['Vhost'] == PULL
    for body in ({}, {'DomainList': []}, {'DomainList': [3]}, {'DomainList': ['a.example.com'] * 101}):
        assert refused(sim, 'DescribeDomain', body)[0] == 400


def test_play_triggered_relay_takes_the_vhost_of_a_configured_domain_space(sim):
    configure(sim, domain_spaces=SPACE)
    group = {'Group': 'g1', 'Servers': [{'RelaySourceDomain': 'origin.example.com', 'RelaySourceProtocol': 'flv'}]}
    ok(sim, 'UpdateRelaySourceV3', {'Vhost': 'space1', 'App': 'live', 'GroupDetails': [group]})
    (config,) = ok(sim, 'DescribeRelaySourceV3', {'Vhost': 'space1'})['RelaySourceConfigList']
    assert config['App'] == 'live' and [d['Group'] for d in config['GroupDetails']] == ['g1']
    assert refused(sim, 'DescribeRelaySourceV3', {'Vhost': 'space9'})[0] == 403  # no such space
    assert refused(sim, 'DescribeRelaySourceV3', {'Vhost': PULL})[0] == 403  # a domain of space1, not a space
