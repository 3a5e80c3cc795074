# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""stream_info against the Live API simulator on 127.0.0.1, by both execution paths.

No page says which domain an online relayed stream is listed under (the domain its fixed relay was configured on,
or a play domain of its space): every scenario that depends on it runs under both of the simulator's modes.
"""

from __future__ import annotations

import time

import pytest

from ansible_collections.volcengine.live.plugins.modules.stream_info import DEFINITION
from ansible_collections.volcengine.live.tests.unit.helpers.simulator import admin
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

AK, SK = 'AKLTdelivery', 'delivery-secret'
DOMAIN, OTHER = 'pull.example.com', 'other.example.com'
ORIGIN = 'rtmp://origin.example.com/live/%s'
LISTINGS = ['push', 'play']


@pytest.fixture
def sim(tmp_path):
    simulator = Simulator(
        state_path=str(tmp_path / 'state.json'), accounts={AK: SK}, domains=[DOMAIN, OTHER], rate_limit=0
    ).start()
    admin(simulator, '/_sim/config', {'stream_online_delay': 0})
    yield simulator
    simulator.stop()


def args(sim, **extra):
    base = dict(endpoint=sim.endpoint, access_key=AK, secret_key=SK, rate_limit=0, timeout=2, retry_max_delay=0.01)
    base.update(extra)
    return {key: value for key, value in base.items() if value is not None}


def relay(sim, stream, domain=DOMAIN, origin=None, **window):
    body = dict(Domain=domain, App='live', Stream=stream, SrcAddrS=[origin or ORIGIN % stream], **window)
    sim.handle_api('CreateRelaySourceV4', body)


def calls(sim):
    return admin(sim, '/_sim/stats')['by_action']


@pytest.mark.parametrize('listing', LISTINGS)
def test_the_relayed_streams_of_a_domain_are_found_wherever_they_are_listed(run, sim, listing):
    admin(sim, '/_sim/config', {'relay_stream_domain': listing})
    for name in ('a', 'b'):
        relay(sim, name)
    now = int(time.time())
    relay(sim, 'later', StartTime=now + 3600, EndTime=now + 7200)  # its window has not opened: not online
    result, failed = run(DEFINITION, args(sim, domain=DOMAIN, source_type='relay'))
    assert not failed and result['changed'] is False, result
    streams = result['streams']
    assert sorted(item['stream'] for item in streams) == ['a', 'b']
    for item in streams:
        assert item['domain'] == DOMAIN and item['source_type'] == 'relay' and item['vhost']
        assert item['listed_domain'] == (DOMAIN if listing == 'push' else 'play.' + DOMAIN)
        assert isinstance(item['session_start_time'], int) and item['session_start_time_iso'].endswith('+00:00')


@pytest.mark.parametrize('listing', LISTINGS)
def test_the_domain_a_stream_is_listed_under_can_be_asked_about_itself(run, sim, listing):
    """A play domain the service will not list fixed relays for (the simulator refuses, as the service may) is
    still asked about: its listed streams, and one stream's state."""
    admin(sim, '/_sim/config', {'relay_stream_domain': listing})
    relay(sim, 'a')
    (item,) = run(DEFINITION, args(sim, domain=DOMAIN, source_type='relay'))[0]['streams']
    result, failed = run(DEFINITION, args(sim, domain=item['listed_domain'], app='live', stream='a'))
    assert not failed, result
    assert [entry['stream'] for entry in result['streams']] == ['a'] and result['stream_state']['state'] == 'online'
    again, failed = run(DEFINITION, args(sim, vhost=item['vhost'], app='live'))
    assert not failed and [entry['stream'] for entry in again['streams']] == ['a'], again


@pytest.mark.parametrize('listing', LISTINGS)
def test_a_stream_of_the_same_name_relayed_by_another_domain_is_never_taken(run, sim, listing):
    admin(sim, '/_sim/config', {'relay_stream_domain': listing})
    relay(sim, 'main')  # DOMAIN's relay: its origin is down, so it is not online
    relay(sim, 'main', domain=OTHER, origin='rtmp://other-origin.example.com/live/main')
    admin(sim, '/_sim/sources', {'down': ['origin.example.com']})
    asked = dict(domain=DOMAIN, app='live', stream='main', source_type='relay')
    result, failed = run(DEFINITION, args(sim, **asked))
    assert not failed, result
    assert result['streams'] == [] and result['stream_state']['state'] == 'offline'
    admin(sim, '/_sim/sources', {'up': ['origin.example.com']})  # both online now: each domain sees its own
    result, failed = run(DEFINITION, args(sim, **asked))
    assert not failed and [item['domain'] for item in result['streams']] == [DOMAIN]
    assert result['streams'][0]['listed_domain'] == (DOMAIN if listing == 'push' else 'play.' + DOMAIN)
    assert result['stream_state'] == {'state': 'online', 'source_type': 'relay'}
    assert not result.get('warnings')


@pytest.mark.parametrize('listing', LISTINGS)
def test_a_domain_costs_one_listing_of_its_space_whatever_the_listing(run, sim, listing):
    admin(sim, '/_sim/config', {'relay_stream_domain': listing})
    relay(sim, 'a')
    before = calls(sim)
    result, failed = run(DEFINITION, args(sim, domain=DOMAIN, source_type='relay'))
    assert not failed and len(result['streams']) == 1
    after = calls(sim)
    listed = after.get('DescribeLiveStreamInfoByPage', 0) - before.get('DescribeLiveStreamInfoByPage', 0)
    assert listed == 1  # the domain space's listing, whichever domain it lists the relay under
    assert after.get('DescribeDomain', 0) - before.get('DescribeDomain', 0) == 1


def test_a_vhost_lists_every_domain_of_its_space(run, sim):
    admin(sim, '/_sim/config', {'relay_stream_domain': 'play'})
    relay(sim, 'a')
    result, failed = run(DEFINITION, args(sim, vhost=DOMAIN))  # the simulator's space of a domain is named after it
    assert not failed and [item['stream'] for item in result['streams']] == ['a']
    assert result['streams'][0]['listed_domain'] == 'play.' + DOMAIN


@pytest.mark.parametrize('listing', LISTINGS)
def test_metrics_of_an_online_relay_are_read_for_a_play_domain_of_its_space(run, sim, listing):
    admin(sim, '/_sim/config', {'relay_stream_domain': listing, 'clock_offset': -300})
    relay(sim, 'a')  # five minutes ago by the simulator's clock: five minutes of samples now
    admin(sim, '/_sim/config', {'clock_offset': 0})
    result, failed = run(DEFINITION, args(sim, domain=DOMAIN, app='live', stream='a', metrics=True))
    assert not failed, result
    assert result['metrics_domain'] == 'play.' + DOMAIN  # the API takes a play domain, whatever the listing
    samples = result['metrics']
    assert samples and all(sample['bitrate'] is not None for sample in samples)
    assert [sample['time'] for sample in samples] == sorted(sample['time'] for sample in samples)
    assert all(sample['time_iso'].endswith('+00:00') for sample in samples)


@pytest.mark.parametrize('never_seen', ['offline', 'error'])
def test_a_stream_never_seen_is_offline_however_the_service_answers(run, sim, never_seen):
    admin(sim, '/_sim/config', {'never_seen_state': never_seen})
    result, failed = run(DEFINITION, args(sim, domain=DOMAIN, app='live', stream='nothing'))
    assert not failed, result
    assert result['streams'] == [] and result['stream_state']['state'] == 'offline'


@pytest.mark.parametrize(
    'params, option',
    [
        ({}, 'domain'),
        ({'domain': DOMAIN, 'vhost': DOMAIN}, 'domain'),
        ({'domain': 'pull example.com'}, 'domain'),
        ({'domain': DOMAIN, 'stream': 's'}, 'app'),
        ({'domain': DOMAIN, 'metrics': True}, 'metrics'),
        ({'domain': DOMAIN, 'app': 'live', 'stream': 's', 'metrics': True, 'metrics_minutes': 1441}, 'metrics_minutes'),
    ],
)
def test_bad_input_fails_before_any_request_naming_the_option(run, sim, params, option):
    result, failed = run(DEFINITION, args(sim, **params))
    assert failed and result['option'] == option
    assert calls(sim) == {}


def test_check_mode_reads_the_same_and_nothing_writes(run, sim):
    relay(sim, 'a')
    writes = admin(sim, '/_sim/stats')['writes']
    result, failed = run(DEFINITION, args(sim, domain=DOMAIN, _ansible_check_mode=True))
    assert not failed and [item['stream'] for item in result['streams']] == ['a']
    assert admin(sim, '/_sim/stats')['writes'] == writes
