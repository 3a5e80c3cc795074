# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``wait``: the relay modules wait until what they configured is delivered, against the simulator on 127.0.0.1,
by both execution paths and under both listings no page rules out (a relayed stream listed under the domain its
relay was configured on, or under a play domain of its space)."""

from __future__ import annotations

import time

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery import wait as wait_module
from ansible_collections.volcengine.live.plugins.modules.pull_to_push_task import DEFINITION as TASK
from ansible_collections.volcengine.live.plugins.modules.relay_source import DEFINITION as RELAY_SOURCE
from ansible_collections.volcengine.live.plugins.modules.relay_sources import DEFINITION as RELAY_SOURCES
from ansible_collections.volcengine.live.plugins.modules.stream_info import DEFINITION as STREAM_INFO
from ansible_collections.volcengine.live.tests.unit.helpers.simulator import admin
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

AK, SK = 'AKLTwaiting', 'waiting-secret'
DOMAIN, PUSH, OTHER = 'pull.example.com', 'push.example.com', 'other.example.com'
LISTINGS = ['push', 'play']


@pytest.fixture
def sim(tmp_path):
    simulator = Simulator(
        state_path=str(tmp_path / 'state.json'), accounts={AK: SK}, domains=[DOMAIN, PUSH], rate_limit=0
    ).start()
    admin(simulator, '/_sim/config', {'stream_online_delay': 1})
    yield simulator
    simulator.stop()


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch):
    monkeypatch.setattr(wait_module, 'POLL_INTERVAL', 0.5)


def connection(sim, **extra):
    base = dict(endpoint=sim.endpoint, access_key=AK, secret_key=SK, rate_limit=0, timeout=2, retry_max_delay=0.01)
    base.update(extra)
    return base


def source(stream, **extra):
    return dict(dict(app='live', stream=stream, src_addrs=['rtmp://origin.example.com/live/%s' % stream]), **extra)


def listings(sim):
    return admin(sim, '/_sim/stats')['by_action'].get('DescribeLiveStreamInfoByPage', 0)


@pytest.mark.parametrize('listing', LISTINGS)
def test_a_relay_source_waits_until_its_stream_is_online(run, sim, listing):
    admin(sim, '/_sim/config', {'relay_stream_domain': listing})
    result, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, wait_timeout=20, **source('a')))
    assert not failed and result['changed'] is True, result
    assert result['delivery']['online'] == ['live/a'] and result['delivery']['not_online'] == []
    assert result['delivery']['polls'] >= 2 and result['delivery']['seconds'] >= 0.5  # 1 s to come online
    again, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, **source('a')))
    assert not failed and again['changed'] is False and again['delivery']['polls'] == 1  # online: one look


def test_a_relay_whose_source_is_down_fails_at_the_timeout_keeping_what_was_written(run, sim):
    admin(sim, '/_sim/sources', {'down': ['origin.example.com']})
    started = time.monotonic()
    result, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, wait_timeout=2, **source('a')))
    assert failed and time.monotonic() - started < 10
    assert result['changed'] is True and result['relay_source']['stream'] == 'a' and result['task_id']
    assert result['delivery']['not_online'] == ['live/a']
    assert result['msg'].startswith('1 relay not online after 2 s (wait_timeout: 2 s): live/a. What the task wrote')
    again, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, wait_timeout=1, **source('a')))
    assert (
        failed and again['changed'] is False and again['msg'].endswith('Nothing needed changing; a rerun waits again.')
    )
    admin(sim, '/_sim/sources', {'up': ['origin.example.com']})
    rerun, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, wait_timeout=20, **source('a')))
    assert not failed and rerun['changed'] is False and rerun['delivery']['online'] == ['live/a']


def test_a_window_that_has_not_opened_is_not_waited_for(run, sim):
    start = int(time.time()) + 3600
    params = connection(sim, domain=DOMAIN, wait=True, **source('later', start_time=start, end_time=start + 3600))
    before = listings(sim)
    result, failed = run(RELAY_SOURCE, params)
    assert not failed and result['delivery']['online'] == [] and result['delivery']['polls'] == 0
    assert result['delivery']['not_open'][0].startswith('live/later opens at ')
    assert listings(sim) == before


def test_check_mode_never_waits(run, sim):
    result, failed = run(
        RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, _ansible_check_mode=True, **source('a'))
    )
    assert not failed and result['changed'] is True and 'delivery' not in result
    assert listings(sim) == 0


@pytest.mark.parametrize('value', [0, -1, 86401])
def test_a_wait_timeout_out_of_range_fails_before_any_request(run, sim, value):
    result, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, wait_timeout=value, **source('a')))
    assert failed and result['option'] == 'wait_timeout'
    assert admin(sim, '/_sim/stats')['by_action'] == {}


@pytest.mark.parametrize('listing', LISTINGS)
def test_a_whole_domain_waits_at_the_cost_of_its_listing(run, sim, listing):
    admin(sim, '/_sim/config', {'relay_stream_domain': listing})
    items = [source('s%02d' % index) for index in range(30)]
    result, failed = run(RELAY_SOURCES, connection(sim, domain=DOMAIN, relay_sources=items, wait=True, wait_timeout=30))
    assert not failed, result
    assert sorted(result['delivery']['online']) == sorted('live/%s' % item['stream'] for item in items)
    polls = result['delivery']['polls']
    assert listings(sim) == polls  # one listing of the domain's space a poll, never a call per stream
    before = listings(sim)
    again, failed = run(RELAY_SOURCES, connection(sim, domain=DOMAIN, relay_sources=items, wait=True))
    assert not failed and again['changed'] is False and again['delivery']['polls'] == 1
    assert listings(sim) - before == 1


def task_args(sim, start, **extra):
    base = dict(
        title='launch2026',
        type='live',
        source_url='rtmp://pull.example.com/live/launch',
        domain=PUSH,
        app='live',
        stream='launch',
        start_time=start,
        end_time=start + 3600,
        wait=True,
        wait_timeout=20,
    )
    base.update(extra)
    return connection(sim, **base)


def test_a_pull_to_push_task_waits_until_it_runs_and_its_live_destination_is_online(run, sim):
    result, failed = run(TASK, task_args(sim, int(time.time()) - 60))
    assert not failed and result['changed'] is True, result
    assert result['delivery']['online'] == ['task launch2026', '%s/live/launch' % PUSH]


def test_a_stopped_task_is_not_waited_for_and_one_not_started_says_when_it_starts(run, sim):
    start = int(time.time()) + 3600
    result, failed = run(TASK, task_args(sim, start))
    assert not failed and result['delivery']['polls'] == 0
    assert result['delivery']['not_open'][0].startswith('task launch2026 opens at ')
    stopped, failed = run(TASK, task_args(sim, int(time.time()) - 60, title='other', state='stopped'))
    assert not failed and 'delivery' not in stopped


def test_a_task_whose_destination_never_comes_online_fails_at_the_timeout(run, sim):
    admin(sim, '/_sim/config', {'stream_online_delay': 3600})
    result, failed = run(TASK, task_args(sim, int(time.time()) - 60, wait_timeout=2))
    assert failed and result['changed'] is True and result['task_id']
    assert result['delivery']['online'] == ['task launch2026']
    assert result['delivery']['not_online'] == ['%s/live/launch' % PUSH]
    assert '%s/live/launch is not online' % PUSH in result['msg']


@pytest.mark.parametrize('listing', LISTINGS)
def test_another_domain_relaying_the_same_name_never_passes_for_this_one(run, sim, listing):
    admin(sim, '/_sim/config', {'relay_stream_domain': listing, 'domains': [OTHER]})
    sim.handle_api(
        'CreateRelaySourceV4',
        {'Domain': OTHER, 'App': 'live', 'Stream': 'main', 'SrcAddrS': ['rtmp://other-origin.example.com/live/main']},
    )
    admin(sim, '/_sim/sources', {'down': ['origin.example.com']})
    result, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, wait_timeout=2, **source('main')))
    assert failed and result['delivery']['not_online'] == ['live/main']  # OTHER's stream is online, ours is not
    admin(sim, '/_sim/sources', {'up': ['origin.example.com']})
    result, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, wait_timeout=20, **source('main')))
    assert not failed and result['delivery']['online'] == ['live/main']  # both online: ours is found


@pytest.mark.parametrize('listing', LISTINGS)
def test_another_domain_of_the_same_space_relaying_the_same_name_never_passes_for_this_one(run, sim, listing):
    """One space, two push domains and a play domain: PUSH relays live/main from a live origin, DOMAIN's relay of
    live/main has a dead one. Under either listing PUSH's stream shows as relayed, under PUSH or the play domain."""
    space = {'space1': {'push': [DOMAIN, PUSH], 'play': ['play.example.com']}}
    admin(sim, '/_sim/config', {'relay_stream_domain': listing, 'domain_spaces': space})
    sim.handle_api(
        'CreateRelaySourceV4',
        {'Domain': PUSH, 'App': 'live', 'Stream': 'main', 'SrcAddrS': ['rtmp://other-origin.example.com/live/main']},
    )
    admin(sim, '/_sim/sources', {'down': ['origin.example.com']})
    result, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, wait_timeout=3, **source('main')))
    assert failed and result['delivery']['not_online'] == ['live/main'], result
    if listing == 'play':  # listed under the play domain, the name is PUSH's too: the message says why it was not ours
        assert "live/main (%s's fixed relay relays that name too)" % PUSH in result['msg']
    info, failed = run(STREAM_INFO, connection(sim, domain=DOMAIN, app='live', stream='main'))
    assert not failed and info['streams'] == [], info


def test_a_poll_that_fails_on_a_passing_fault_does_not_end_the_wait(run, sim):
    fault = {'kind': 'http502', 'action': 'DescribeLiveStreamInfoByPage', 'count': 6}
    admin(sim, '/_sim/faults', {'faults': [fault]})
    params = connection(sim, domain=DOMAIN, wait=True, wait_timeout=30, retries=1, **source('a'))
    result, failed = run(RELAY_SOURCE, params)
    assert not failed and result['delivery']['online'] == ['live/a'], result


def test_a_wait_that_fails_keeps_the_write_s_request_id_and_names_the_failed_call(run, sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'error', 'action': 'DescribeDomain', 'count': 5}]})
    result, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, **source('a')))
    assert failed and result['changed'] is True and result['task_id'], result
    assert result['request_id'] and result['error']['action'] == 'DescribeDomain'
    assert result['error']['request_id'] and result['error']['request_id'] != result['request_id']  # the look's
    assert result['msg'].startswith('A look for the delivery of what the task configured failed: DescribeDomain failed')
    assert result['msg'].endswith(
        'What the task wrote stands (see the result); a rerun changes nothing and waits again (once that is mended)'
    )
    assert result['delivery']['not_online'] == ['live/a'] and result['delivery']['polls'] == 1


@pytest.mark.parametrize('module', [RELAY_SOURCE, RELAY_SOURCES])
def test_a_wait_whose_looks_keep_failing_ends_near_its_timeout_and_says_what_is_missing(run, sim, module):
    """Each look has the task's retries (8, backoffs up to retry_max_delay): before, one look alone outlasted the
    wait many times over, and the failure did not say what was still not online."""
    fault = {'kind': 'http500', 'action': 'DescribeLiveStreamInfoByPage', 'count': 1000}
    admin(sim, '/_sim/faults', {'faults': [fault]})
    items = dict(relay_sources=[source('a')]) if module is RELAY_SOURCES else source('a')
    started = time.monotonic()
    result, failed = run(module, connection(sim, domain=DOMAIN, wait=True, wait_timeout=2, retry_max_delay=4, **items))
    took = time.monotonic() - started
    assert failed and took < 2 + wait_module.LAST_LOOK + 2, took
    assert (
        result['delivery']['not_online'] == ['live/a'] and result['error']['action'] == 'DescribeLiveStreamInfoByPage'
    )
    # InternalError; or Timeout on a busy machine, when the last attempt, cut to what was left of the deadline, got no
    # answer in time, or the look reached the listing only past it
    assert result['error']['code'] in ('InternalError', 'Timeout')
    assert 'not online after' in result['msg'] and 'The last look failed: DescribeLiveStreamInfoByPage' in result['msg']


def test_a_relay_whose_window_is_over_is_not_waited_for_and_the_result_says_when_it_ended(run, sim):
    start = int(time.time()) - 7200
    window = dict(start_time=start, end_time=start + 3600)
    sim.handle_api(
        'CreateRelaySourceV4',
        dict(
            Domain=DOMAIN,
            App='live',
            Stream='over',
            SrcAddrS=['rtmp://origin.example.com/live/over'],
            StartTime=start,
            EndTime=start + 3600,
        ),
    )
    result, failed = run(RELAY_SOURCE, connection(sim, domain=DOMAIN, wait=True, **source('over', **window)))
    assert not failed and result['changed'] is False and result['delivery']['polls'] == 0, result
    assert result['delivery']['not_open'][0].startswith('live/over ended at ')
