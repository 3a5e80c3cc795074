# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Stream delivery's pure layers: the query rules, and the three actions' requests and answers (the official SDK
names each action's method)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from volcengine.live.v20230101.live_config import api_info

from ansible_collections.volcengine.live.plugins.module_utils._core.rules import EPOCH_MAX, EPOCH_MIN, ValidationError
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery import api, plan, wait
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.rules import (
    DEFAULT_METRICS_MINUTES,
    normalize_query,
)


@pytest.mark.parametrize(
    'action, method',
    [(api.ACTION_LIST, 'GET'), (api.ACTION_STATE, 'GET'), (api.ACTION_METRICS, 'POST')],
)
def test_the_actions_are_what_the_official_sdk_calls(action, method):
    info = api_info[action]
    assert (info.method, info.path, info.query) == (method, '/', {'Action': action, 'Version': '2023-01-01'})


def test_a_list_query_carries_only_the_filters_given_and_matches_a_stream_exactly():
    assert api.list_query(1, {}) == {'PageNum': 1, 'PageSize': 1000}
    query = api.list_query(
        3, {'domain': 'pull.example.com', 'app': 'live', 'stream': 's', 'source_type': 'relay', 'vhost': None}
    )
    assert query == {
        'PageNum': 3,
        'PageSize': 1000,
        'Domain': 'pull.example.com',
        'App': 'live',
        'Stream': 's',
        'QueryType': 'strict',
        'SourceType': 'relay',
    }
    assert api.list_query(1, {'vhost': 'example.com'})['Vhost'] == 'example.com'


def test_an_online_item_is_normalised():
    item = {
        'ID': 7,
        'Vhost': 'example.com',
        'Domain': 'Pull.Example.com.',
        'App': 'live',
        'Stream': 'match-42',
        'SessionStartTime': '2026-12-05T10:00:01.250Z',
        'SourceType': 'relay',
    }
    assert api.online_from_api(item) == {
        'vhost': 'example.com',
        'domain': 'pull.example.com',
        'app': 'live',
        'stream': 'match-42',
        'source_type': 'relay',
        'session_start_time': 1796464801,
    }
    odd = api.online_from_api({'SourceType': 'mirror', 'SessionStartTime': 'yesterday'})
    assert odd['source_type'] == 'mirror' and odd['session_start_time'] is None and odd['app'] == ''


@pytest.mark.parametrize(
    'text, seconds',
    [
        ('2026-12-05T10:00:01.250Z', 1796464801),
        ('2026-12-05T10:00:01Z', 1796464801),
        ('2026-12-05T18:00:01+08:00', 1796464801),
        ('2026-12-05T10:00:01.999+00:00', 1796464801),
        ('2026-12-05T10:00:01', None),
        ('', None),
        (None, None),
        (1796464801, None),
        ('not a time', None),
    ],
)
def test_rfc3339_times_read_to_the_second(text, seconds):
    assert api.rfc3339_seconds(text) == seconds


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(min_value=EPOCH_MIN, max_value=EPOCH_MAX))
def test_a_metrics_time_reads_back_as_the_same_moment(seconds):
    text = api.rfc3339(seconds)
    assert text.endswith('Z') and len(text) == len('2026-12-05T10:00:01Z')
    assert api.rfc3339_seconds(text) == seconds


@pytest.mark.parametrize(
    'result, state',
    [
        ({'stream_state': 'online', 'type': 'pull'}, {'state': 'online', 'source_type': 'relay'}),
        ({'stream_state': 'offline', 'type': 'push'}, {'state': 'offline', 'source_type': 'push'}),
        ({'stream_state': 'forbidden'}, {'state': 'forbidden', 'source_type': None}),
        ({'StreamState': 'online', 'Type': 'pull'}, {'state': 'unknown', 'source_type': None}),  # snake_case only
        ({}, {'state': 'unknown', 'source_type': None}),
    ],
)
def test_a_stream_state_is_read_from_its_snake_case_keys(result, state):
    assert api.state_from_api(result) == state


def test_a_state_query_names_exactly_one_of_domain_and_vhost():
    assert api.state_query('live', 's', domain='pull.example.com') == {
        'App': 'live',
        'Stream': 's',
        'Domain': 'pull.example.com',
    }
    assert api.state_query('live', 's', vhost='example.com') == {'App': 'live', 'Stream': 's', 'Vhost': 'example.com'}


def test_metrics_are_asked_for_in_rfc3339_and_read_as_samples():
    body = api.metrics_body(('play.example.com', 'live', 's'), 1796464800, 1796465100)
    assert body == {
        'Domain': 'play.example.com',
        'App': 'live',
        'Stream': 's',
        'StartTime': '2026-12-05T10:00:00Z',
        'EndTime': '2026-12-05T10:05:00Z',
        'Aggregation': 30,
    }
    sample = api.sample_from_api({'TimeStamp': '2026-12-05T10:00:30Z', 'Bitrate': 2500.5, 'Framerate': '25'})
    assert sample['time'] == 1796464830 and sample['bitrate'] == 2500.5 and sample['framerate'] == 25.0
    assert sample['video_frame_gap'] is None and set(sample) == {'time'} | {name for _key, name in api.METRIC_FIELDS}


def query(**params):
    base = dict(domain=None, vhost=None, app=None, stream=None, source_type=None, metrics=False, metrics_minutes=None)
    base.update(params)
    return normalize_query(base)


def test_a_query_names_a_domain_or_a_vhost():
    assert query(domain='PULL.example.com') == {
        'domain': 'pull.example.com',
        'vhost': None,
        'app': None,
        'stream': None,
        'source_types': ('relay', 'push'),
        'metrics': False,
        'metrics_minutes': DEFAULT_METRICS_MINUTES,
    }
    assert query(vhost='example.com', source_type='relay')['source_types'] == ('relay',)

    assert query(domain='pull.example.com', app='live', stream='s', metrics=True, metrics_minutes=60)['metrics']


@pytest.mark.parametrize(
    'params, option',
    [
        ({}, 'domain'),
        ({'domain': 'pull.example.com', 'vhost': 'example.com'}, 'domain'),
        ({'domain': 'not a domain'}, 'domain'),
        ({'vhost': 'sp ace'}, 'vhost'),
        ({'domain': 'pull.example.com', 'stream': 's'}, 'app'),
        ({'domain': 'pull.example.com', 'app': 'bad app'}, 'app'),
        ({'domain': 'pull.example.com', 'app': 'live', 'stream': 's' * 101}, 'stream'),
        ({'domain': 'pull.example.com', 'source_type': 'pull'}, 'source_type'),
        ({'domain': 'pull.example.com', 'metrics': True}, 'metrics'),
        (
            {'domain': 'pull.example.com', 'app': 'live', 'stream': 's', 'metrics': True, 'metrics_minutes': 0},
            'metrics_minutes',
        ),
        ({'domain': 'pull.example.com', 'metrics_minutes': 1441}, 'metrics_minutes'),
        ({'domain': 'pull.example.com', 'metrics_minutes': True}, 'metrics_minutes'),
    ],
)
def test_a_bad_query_names_its_option(params, option):
    with pytest.raises(ValidationError) as caught:
        query(**params)
    assert caught.value.option == option


def online(stream, domain='pull.example.com', vhost='space', source_type='relay', app='live'):
    return {
        'vhost': vhost,
        'domain': domain,
        'app': app,
        'stream': stream,
        'source_type': source_type,
        'session_start_time': 1796464801,
    }


def test_the_relays_missing_from_a_domain_s_listing_are_those_it_configures_and_does_not_show():
    listed = [online('a'), online('b', source_type='push')]
    assert plan.missing_relays([('live', 'a'), ('live', 'b'), ('live', 'c')], listed) == [('live', 'b'), ('live', 'c')]


def test_a_relay_listed_under_another_domain_of_the_space_is_the_domain_s_and_taken_once():
    listed = [online('a')]
    candidates = [online('b', domain='play.pull.example.com'), online('b', domain='play2.pull.example.com')]
    streams = plan.attribute('pull.example.com', listed, candidates)
    assert [(item['stream'], item['domain'], item['listed_domain']) for item in streams] == [
        ('a', 'pull.example.com', 'pull.example.com'),
        ('b', 'pull.example.com', 'play.pull.example.com'),
    ]


def test_a_transient_failure_of_a_poll_is_a_poll_that_saw_what_the_last_one_saw():
    from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError

    clock = Clock()
    answers = iter([{'a'}, LiveApiError('X', 'InternalError', 'boom', status=502), {'a', 'b'}])

    def poll():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    waited = wait.wait_until(poll, ['a', 'b'], 60, clock=clock, sleep=clock.sleep)
    assert waited.done and waited.polls == 3
    failing = iter([set()] + [LiveApiError('X', 'InternalError', 'boom', status=502)] * 10)

    def failing_poll():
        answer = next(failing)
        if isinstance(answer, Exception):
            raise answer
        return answer

    waited = wait.wait_until(failing_poll, ['a'], 3, clock=clock, sleep=clock.sleep)
    assert waited.missing == ['a'] and waited.failure.code == 'InternalError'  # ran out on a failed poll: says so
    permanent = LiveApiError('X', 'AccessDenied', 'no', status=403)

    def denied():
        raise permanent

    started = clock.now
    waited = wait.wait_until(denied, ['a'], 60, clock=clock, sleep=clock.sleep)
    assert waited.failure is permanent and waited.polls == 1 and clock.now == started  # ends the wait at once


def test_each_look_is_told_how_long_is_left_and_the_last_gets_at_least_the_last_look_s_time():
    clock, told = Clock(), []
    wait.wait_until(set, ['a'], 12, clock=clock, sleep=clock.sleep, bound=told.append)
    assert wait.LAST_LOOK == 5.0 and told == [12.0, 10.0, 8.0, 6.0, 5.0, 5.0, 5.0]  # looks at 0, 2, ... 12 s


def test_a_look_s_retry_policy_ends_by_the_deadline_of_the_wait():
    from ansible_collections.volcengine.live.plugins.module_utils._core.retry import ANSWER, CONNECT, RetryPolicy

    clock = Clock()
    base = RetryPolicy(retries=8, max_delay=20, rand=lambda: 1.0, sleep=clock.sleep, clock=clock, answer_timeout=90)
    bounded = base.within(7)
    assert bounded.budgets[ANSWER].seconds == 7 and bounded.budgets[CONNECT].seconds == 7
    assert bounded.allows(1) and base.budgets[ANSWER].seconds == 90  # the task's own policy is left as it was
    bounded.wait(5)  # the backoff wants 8 s: the deadline leaves 7, of which the attempt after it keeps 1
    assert clock.now == 106.0 and not bounded.allows(2)  # nor is one sent with less than a second left
    assert bounded.attempt_waits(30) == (1.0, 1.0)


class Clock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_a_wait_polls_at_once_then_every_interval_and_ends_with_the_poll_that_finds_everything():
    clock = Clock()
    answers = iter([set(), {'a'}, {'a', 'b'}])
    waited = wait.wait_until(lambda: next(answers), ['a', 'b'], 60, clock=clock, sleep=clock.sleep)
    assert waited.done and waited.online == ['a', 'b'] and waited.polls == 3
    assert clock.slept == [wait.POLL_INTERVAL] * 2 and waited.seconds == 2 * wait.POLL_INTERVAL


def test_a_wait_never_sleeps_past_its_deadline_and_says_what_is_missing():
    clock = Clock()
    waited = wait.wait_until(lambda: {'a'}, ['a', 'b'], 5, clock=clock, sleep=clock.sleep)
    assert not waited.done and waited.online == ['a'] and waited.missing == ['b']
    assert sum(clock.slept) == 5 and max(clock.slept) <= wait.POLL_INTERVAL and waited.seconds == 5
    message = wait.timed_out_message('relay', wait.Waited([], [('live', 'b')], 5.2, 3), 5)
    assert message.startswith('1 relay not online after 5 s (wait_timeout: 5 s): live/b.')


@pytest.mark.parametrize(
    'start, end, now, is_open',
    [(None, None, 5, True), (10, 20, 10, True), (10, 20, 19, True), (10, 20, 9, False), (10, 20, 20, False)],
)
def test_a_window_is_open_from_its_start_until_its_end(start, end, now, is_open):
    assert wait.window_open(start, end, now) is is_open


@pytest.mark.parametrize('value', [0, 86401, -5, True, 1.5, '30'])
def test_a_wait_timeout_is_whole_seconds_up_to_a_day(value):
    with pytest.raises(ValidationError) as caught:
        wait.validate_wait_timeout({'wait_timeout': value})
    assert caught.value.option == 'wait_timeout'
    assert wait.validate_wait_timeout({'wait_timeout': 86400}) == 86400
    assert wait.validate_wait_timeout({}) == wait.DEFAULT_WAIT_TIMEOUT


def test_a_stream_that_shows_twice_while_the_pages_are_read_is_one_stream():
    from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.lookup import unique

    items = [online('a'), online('b'), online('a'), online('a', domain='play.pull.example.com')]
    assert [(item['stream'], item['domain']) for item in unique(items)] == [
        ('a', 'pull.example.com'),
        ('b', 'pull.example.com'),
        ('a', 'play.pull.example.com'),
    ]


class SpaceListing:
    """A client of one domain space (``space``: pull.example.com and another push domain, push2.example.com, and a
    play domain, play.pull.example.com) serving DescribeLiveStreamInfoByPage from ``streams`` (normalised), a page of
    :data:`api.PAGE_SIZE` a call, the fixed relays of the other domains from ``relays`` (``{domain: [(app, stream)]}``)
    and the space's play-triggered relays from ``play_apps`` (None: every app). ``calls``: the actions called, and
    ``pages``: the listing's pages asked for."""

    DOMAINS = (('pull.example.com', 'push'), ('push2.example.com', 'push'), ('play.pull.example.com', 'pull-flv'))

    def __init__(self, streams, relays=None, play_apps=(), refused=None):
        self.streams = streams
        self.relays = relays or {}
        self.play_apps = play_apps
        self.refused = refused or {}  # {action: code}: answered with that error
        self.pages, self.calls = [], []

    def call(self, action, params, method='POST'):
        from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError

        self.calls.append(action)
        if action in self.refused:
            raise LiveApiError(action, self.refused[action], 'refused', status=403)
        if action == api.ACTION_DOMAIN:
            domain = params['DomainList'][0]
            return {'DomainList': [{'Domain': domain, 'Vhost': 'space', 'Type': 'push'}]}, 'rid-domain'
        if action == api.ACTION_DOMAINS:
            assert params['VhostList'] == ['space'] and 'DomainTypeList' not in params
            return {'DomainList': [{'Domain': d, 'Vhost': 'space', 'Type': t} for d, t in self.DOMAINS]}, 'rid-d'
        if action == 'ListRelaySourceV4':
            listed = [dict({'App': relay[0], 'Stream': relay[1], 'SrcAddrS': ['rtmp://o.example.com/l/s']}, **relay[2])
                      if len(relay) == 3 else {'App': relay[0], 'Stream': relay[1], 'SrcAddrS': ['rtmp://o/l/s']}
                      for relay in self.relays.get(params['Domain'], [])]  # fmt: skip
            return {'List': listed, 'Pagination': {'PageTotal': 1, 'TotalCount': len(listed)}}, 'rid-v4'
        if action == 'DescribeRelaySourceV3':
            configs = [{'App': app or '', 'GroupDetails': [{'Group': 'g', 'Servers': []}]} for app in self.play_apps]
            return {'RelaySourceConfigList': configs}, 'rid-v3'
        assert (action, method, params['Vhost'], params['SourceType']) == (api.ACTION_LIST, 'GET', 'space', 'relay')
        self.pages.append(params['PageNum'])
        first = (params['PageNum'] - 1) * params['PageSize']
        items = [
            {'Vhost': item['vhost'], 'Domain': item['domain'], 'App': item['app'], 'Stream': item['stream'],
             'SourceType': item['source_type']}
            for item in self.streams[first:first + params['PageSize']]
        ]  # fmt: skip
        return {'StreamInfoList': items, 'RoughCount': len(self.streams)}, 'rid-page'


@pytest.mark.parametrize('listed_under', ['pull.example.com', 'play.pull.example.com'])
def test_a_space_of_exactly_a_page_of_relays_all_found_costs_one_listing_call(listed_under):
    from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.lookup import relays_online

    keys = [('live', 's%04d' % index) for index in range(api.PAGE_SIZE)]
    client, known = SpaceListing([online(stream, domain=listed_under) for _app, stream in keys]), {}
    assert relays_online(client, 'pull.example.com', keys, known) == set(keys)
    assert known['space'] == ('space', 'push')
    assert client.pages == [1]  # no second call for the empty page that would prove the list over
    assert relays_online(client, 'pull.example.com', keys, known) == set(keys)
    assert client.pages == [1, 1] and client.calls.count(api.ACTION_DOMAIN) == 1  # the space is asked once
    rival_looks = 0 if listed_under == 'pull.example.com' else 1  # what else relays: asked once, and only if needed
    assert client.calls.count(api.ACTION_DOMAINS) == rival_looks


def test_a_relay_still_missing_reads_the_whole_listing_and_another_domain_s_pushed_stream_is_not_it():
    from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.lookup import relays_online

    keys = [('live', 's%04d' % index) for index in range(api.PAGE_SIZE)] + [('live', 'late'), ('live', 'pushed')]
    streams = [online(stream) for _app, stream in keys[: api.PAGE_SIZE]]
    streams.append(online('pushed', domain='play.pull.example.com', source_type='push'))
    client = SpaceListing(streams)
    assert relays_online(client, 'pull.example.com', keys, {}) == set(keys[: api.PAGE_SIZE])
    assert client.pages == [1, 2]


@pytest.mark.parametrize(
    'relays, play_apps, ours',
    [
        ({}, (), True),  # nothing else relays the name: the play domain's listing is ours
        ({'push2.example.com': [('live', 'x')]}, (), False),  # another push domain of the space relays live/x
        ({'push2.example.com': [('live', 'y')]}, (), True),
        ({}, ('live',), False),  # the space's play-triggered relay of app live may pull live/x
        ({}, ('other',), True),
        ({}, (None,), False),  # ... of every app
    ],
)
def test_a_relayed_stream_listed_under_another_domain_is_ours_only_if_nothing_else_of_the_space_relays_it(
    relays, play_apps, ours
):
    """Another domain of the same space relaying live/x from a live origin never passes for ours on a dead one."""
    from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.lookup import (
        online_streams,
        relays_online,
    )

    client = SpaceListing([online('x', domain='play.pull.example.com')], relays, play_apps)
    assert relays_online(client, 'pull.example.com', [('live', 'x'), ('live', 'z')], {}) == (
        {('live', 'x')} if ours else set()
    )
    client.relays.setdefault('pull.example.com', [('live', 'x')])
    query = dict(domain='pull.example.com', vhost=None, app=None, stream=None, source_types=('relay',))
    found = online_streams(client, query)
    assert [item['stream'] for item in found.streams] == (['x'] if ours else [])


@pytest.mark.parametrize(
    'relays, refused, ours',
    [
        ({'push2.example.com': [('live', 'x', {'StartTime': 100, 'EndTime': 200})]}, {}, True),  # its window is over
        ({'push2.example.com': [('live', 'x', {'StartTime': 4e9 - 10, 'EndTime': 4e9})]}, {}, True),  # not yet open
        ({'play.pull.example.com': [('live', 'x', {'Domain': 'PULL.example.com.'})]}, {}, True),  # ours, listed there
        ({}, {'ListRelaySourceV4': 'InvalidParam.OutOfRange'}, True),  # a domain that holds none
        ({}, {'ListDomainDetail': 'AccessDenied'}, False),  # what else relays cannot be read: nothing is claimed
        ({}, {'DescribeRelaySourceV3': 'LackPolicy'}, False),
    ],
)
def test_what_cannot_deliver_now_is_no_rival_and_what_cannot_be_read_claims_nothing(relays, refused, ours):
    from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.lookup import relays_online

    client, known = SpaceListing([online('x', domain='play.pull.example.com')], relays, refused=refused), {}
    assert relays_online(client, 'pull.example.com', [('live', 'x')], known) == ({('live', 'x')} if ours else set())
    if not ours:
        assert known['rivals'][('live', 'x')].startswith('what else of the space relays it could not be read: ')


def test_a_passing_fault_while_reading_what_else_relays_fails_the_look_and_is_asked_again():
    from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
    from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.lookup import relays_online

    client, known = SpaceListing([online('x', domain='play.pull.example.com')], refused={'ListDomainDetail': 'X'}), {}
    client.refused = {}
    original = client.call
    calls = iter([True])

    def flaky(action, params, method='POST'):
        if action == api.ACTION_DOMAINS and next(calls, False):
            raise LiveApiError(action, 'InternalError', 'boom', status=500)
        return original(action, params, method)

    client.call = flaky
    with pytest.raises(LiveApiError):
        relays_online(client, 'pull.example.com', [('live', 'x')], known)
    assert 'rivals' not in known
    assert relays_online(client, 'pull.example.com', [('live', 'x')], known) == {('live', 'x')}


def test_a_wait_that_ran_out_names_what_else_of_the_space_relays_a_missing_name():
    waited = wait.Waited([], [('live', 'x')], 4.0, 3)
    waited.rivalled = ["live/x (push2.example.com's fixed relay relays that name too)"]
    message = wait.timed_out_message('relay', waited, 4)
    assert message.endswith(
        "something else there may relay it: live/x (push2.example.com's fixed relay relays that name too)."
    )


TASK = dict(title='t1', group='g1', task_id='42', start_time=100, end_time=200, domain=None, app=None, stream=None)


def test_a_task_whose_window_is_over_is_not_waited_for_and_the_note_says_when_it_ended():
    waited, not_open = wait.wait_for_task(None, TASK, 60, now=300)
    assert waited is None and wait.not_open_note(not_open) == ['task t1 ended at 1970-01-01T00:03:20+00:00 (Unix 200)']


@pytest.mark.parametrize(
    'kind, status, delivered',
    [
        ('vod', 'running', ['task t1']),
        ('vod', 'ended', ['task t1', 'push.example.com/live/x']),
        ('live', 'ended', []),  # a Live source that ended early delivered nothing
    ],
)
def test_a_vod_task_that_ended_within_its_window_delivered_whatever_its_destination_shows(
    monkeypatch, kind, status, delivered
):
    """A VOD task whose files played out ends (已结束) before its window does: it delivered, and is over."""
    task = dict(TASK, domain='push.example.com', app='live', stream='x', type=kind)
    listed = [({'task_id': '41', 'status': 'running'}, {}), ({'task_id': '42', 'status': status}, {})]
    monkeypatch.setattr(wait, 'list_tasks', lambda *_args: iter(listed))
    monkeypatch.setattr(wait, 'online_streams', lambda *_args, **_kw: NothingOnline())
    assert sorted(wait.TaskPoller(None, task)()) == sorted(delivered)


class NothingOnline:
    """A stand-in for lookup.Found with no stream online."""

    streams, vhost, kind = [], 'space', 'push'


@pytest.mark.parametrize(
    'value', ['nan', 'NaN', 'Infinity', '-inf', float('nan'), float('inf'), '1e999', True, 'x', None]
)
def test_a_metric_that_is_no_finite_number_is_none(value):
    assert api.sample_from_api({'TimeStamp': '2026-12-05T08:00:00Z', 'Bitrate': value})['bitrate'] is None


def test_a_metric_given_as_text_or_a_number_is_a_float():
    sample = api.sample_from_api({'TimeStamp': '2026-12-05T08:00:00Z', 'Bitrate': '2500.5', 'Framerate': 25})
    assert sample['bitrate'] == 2500.5 and sample['framerate'] == 25.0
