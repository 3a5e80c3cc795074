# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""play_relay_source and play_relay_source_info against the project's Live API simulator on 127.0.0.1.

Every scenario runs by both execution paths (the ``run`` fixture) and under each meaning UpdateRelaySourceV3 may
have: upserting the groups it is sent, or replacing every group of the Vhost+App with them.
"""

from __future__ import annotations

import time

import pytest

from ansible_collections.volcengine.live.plugins.modules.play_relay_source import DEFINITION
from ansible_collections.volcengine.live.plugins.modules.play_relay_source_info import DEFINITION as INFO
from ansible_collections.volcengine.live.tests.unit.helpers.simulator import admin
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

AK, SK = 'AKLTplayrelay', 'play-relay-secret'
VHOST = 'pull.example.com'
A = [{'address': 'origin-a.example.com:1935', 'protocol': 'rtmp'}]
B = [{'address': 'origin-b.example.com', 'protocol': 'flv', 'params': {'token': 'abc'}}]
C = [{'address': '203.0.113.7:1935', 'protocol': 'rtmp'}]


@pytest.fixture(params=['upsert', 'replace'])
def sim(request, tmp_path):
    simulator = Simulator(
        state_path=str(tmp_path / 'state.json'),
        accounts={AK: SK},
        domains=[VHOST],
        rate_limit=0,
        play_relay_update=request.param,
    ).start()
    yield simulator
    simulator.stop()


def args(sim, **extra):
    base = dict(vhost=VHOST, group='g1', servers=A, endpoint=sim.endpoint, access_key=AK, secret_key=SK, rate_limit=0)
    base.update(extra)
    return {key: value for key, value in base.items() if value is not None}


def groups(sim, app=''):
    """What the simulator holds for Vhost+App: {group: [server addresses]}."""
    held = admin(sim, '/_sim/state')['play_relay'].get(VHOST, {}).get(app, [])
    return {g['Group']: [s['RelaySourceDomain'] for s in g['Servers']] for g in held}


def writes(sim):
    return admin(sim, '/_sim/stats')['writes']


def test_create_then_nothing_to_change(run, sim):
    result, failed = run(DEFINITION, args(sim))
    assert not failed and result['changed'] is True and result['request_id']
    assert result['play_relay_source'] == {
        'vhost': VHOST,
        'app': None,
        'group': 'g1',
        'servers': [{'address': 'origin-a.example.com:1935', 'protocol': 'rtmp', 'params': {}}],
    }
    result, failed = run(DEFINITION, args(sim))
    assert not failed and result['changed'] is False and result['request_id'] is None
    assert groups(sim) == {'g1': ['origin-a.example.com:1935']}


@pytest.mark.parametrize('state', ['present', 'absent'])
def test_check_mode_without_credentials_validates_and_sends_nothing(run, sim, state):
    bare = args(sim, access_key=None, secret_key=None, state=state)
    result, failed = run(DEFINITION, dict(bare, _ansible_check_mode=True))
    assert not failed and result['changed'] is True
    assert 'could not look up the current state' in result['warnings'][0]
    result, failed = run(DEFINITION, dict(bare, vhost='bad vhost', _ansible_check_mode=True))
    assert failed and result['option'] == 'vhost'
    assert admin(sim, '/_sim/stats')['requests'] == 0


def test_changing_one_group_leaves_the_others(run, sim):
    run(DEFINITION, args(sim, group='g1', servers=A))
    run(DEFINITION, args(sim, group='g2', servers=B))
    result, failed = run(DEFINITION, args(sim, group='g1', servers=C, _ansible_diff=True))
    assert not failed and result['changed'] is True
    assert groups(sim) == {'g1': ['203.0.113.7:1935'], 'g2': ['origin-b.example.com']}
    assert result['diff']['before']['servers'][0]['address'] == 'origin-a.example.com:1935'
    assert result['diff']['after']['servers'][0]['address'] == '203.0.113.7:1935'


def test_check_mode_reports_the_exact_change_and_writes_nothing(run, sim):
    run(DEFINITION, args(sim))
    before = writes(sim)
    changed, failed = run(DEFINITION, args(sim, servers=C, _ansible_check_mode=True, _ansible_diff=True))
    assert (
        not failed
        and changed['changed'] is True
        and changed['diff']['after']['servers'][0]['address'] == C[0]['address']
    )
    same, failed = run(DEFINITION, args(sim, _ansible_check_mode=True))
    assert not failed and same['changed'] is False
    assert writes(sim) == before and groups(sim) == {'g1': ['origin-a.example.com:1935']}


def test_a_vhost_wide_group_and_an_apps_group_are_never_confused(run, sim):
    run(DEFINITION, args(sim, group='g1', servers=A))
    run(DEFINITION, args(sim, app='live', group='g1', servers=C))
    assert groups(sim) == {'g1': ['origin-a.example.com:1935']}
    assert groups(sim, 'live') == {'g1': ['203.0.113.7:1935']}
    result, failed = run(DEFINITION, args(sim, group='g1', state='absent', servers=None))
    assert not failed and result['changed'] is True and result['play_relay_source'] is None
    assert groups(sim) == {} and groups(sim, 'live') == {'g1': ['203.0.113.7:1935']}
    result, failed = run(DEFINITION, args(sim, group='g1', state='absent', servers=None))
    assert not failed and result['changed'] is False


def test_deleting_one_group_leaves_the_others(run, sim):
    run(DEFINITION, args(sim, group='g1', servers=A))
    run(DEFINITION, args(sim, group='g2', servers=B))
    result, failed = run(DEFINITION, args(sim, group='g1', state='absent', servers=None))
    assert not failed and result['changed'] is True
    assert groups(sim) == {'g2': ['origin-b.example.com']}


def test_a_delete_that_takes_other_groups_with_it_is_mended(run, sim):
    admin(sim, '/_sim/config', {'play_relay_delete': 'every_app', 'play_relay_describe': 'every_app'})
    run(DEFINITION, args(sim, group='g1', servers=A))
    run(DEFINITION, args(sim, app='live', group='g1', servers=C))
    # This delete also takes the App's group of the same name; the look after it finds that and sends it again.
    result, failed = run(DEFINITION, args(sim, group='g1', state='absent', servers=None))
    assert not failed and result['changed'] is True
    assert groups(sim) == {} and groups(sim, 'live') == {'g1': ['203.0.113.7:1935']}
    assert any('g1 (live)' in warning and 'sent again' in warning for warning in result['warnings'])


def test_a_delete_whose_answer_is_lost_still_mends_what_it_took(run, sim):
    admin(sim, '/_sim/config', {'play_relay_delete': 'every_app', 'play_relay_describe': 'every_app'})
    run(DEFINITION, args(sim, group='g1', servers=A))
    run(DEFINITION, args(sim, app='live', group='g1', servers=C))
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'drop_after_commit', 'action': 'DeleteRelaySourceV3'}]})
    result, failed = run(DEFINITION, args(sim, group='g1', state='absent', servers=None, retry_max_delay=0, timeout=1))
    assert not failed and result['changed'] is True
    assert admin(sim, '/_sim/stats')['by_action']['DeleteRelaySourceV3'] == 1
    assert groups(sim) == {} and groups(sim, 'live') == {'g1': ['203.0.113.7:1935']}
    assert any('g1 (live)' in warning for warning in result['warnings'])


def test_a_lost_answer_is_not_followed_by_a_second_write(run, sim):
    admin(sim, '/_sim/faults', {'faults': [{'kind': 'drop_after_commit', 'action': 'UpdateRelaySourceV3'}]})
    result, failed = run(DEFINITION, args(sim, retry_max_delay=0, timeout=1))
    assert not failed and result['changed'] is True
    assert any('nothing was sent twice' in warning for warning in result['warnings'])
    assert admin(sim, '/_sim/stats')['by_action']['UpdateRelaySourceV3'] == 1
    assert groups(sim) == {'g1': ['origin-a.example.com:1935']}
    admin(sim, '/_sim/reset', {'stats': True, 'faults': True})


def test_a_new_group_committed_late_is_an_upsert_planned_anew_from_the_look(run, sim):
    # Play-triggered relay has no create action: a new group is an UpdateRelaySourceV3 of the whole list, by key,
    # which a second send cannot make twice. So a late commit past the look is not a create whose outcome is
    # unknown: the update is planned anew from the look and sent again, and the group is there once.
    admin(
        sim,
        '/_sim/faults',
        {'faults': [{'kind': 'late_commit', 'seconds': 2, 'answer': 'http504', 'action': 'UpdateRelaySourceV3'}]},
    )
    result, failed = run(DEFINITION, args(sim, retry_max_delay=0, timeout=0.5))
    assert not failed and result['changed'] is True, result
    assert admin(sim, '/_sim/stats')['by_action']['UpdateRelaySourceV3'] == 2
    assert groups(sim) == {'g1': ['origin-a.example.com:1935']}
    time.sleep(2)  # the late commit lands on the group as sent again: still one
    assert groups(sim) == {'g1': ['origin-a.example.com:1935']}


@pytest.mark.parametrize(
    'change, option',
    [
        (dict(vhost='not a domain'), 'vhost'),
        (dict(app='bad/app'), 'app'),
        (dict(group='has space'), 'group'),
        (dict(servers=[{'address': 'rtmp://origin.example.com/live', 'protocol': 'rtmp'}]), 'servers[0].address'),
        (dict(servers=[{'address': 'origin.example.com:70000', 'protocol': 'rtmp'}]), 'servers[0].address'),
        (dict(servers=[{'address': 'origin.example.com', 'protocol': 'rtmp', 'params': {'a': ['x']}}]), 'params'),
        (dict(servers=A + A), 'servers'),
        (dict(servers=[{'address': 'o%d.example.com' % i, 'protocol': 'rtmp'} for i in range(11)]), 'servers'),
        (dict(servers=[]), 'servers'),
    ],
)
def test_every_rule_is_checked_before_any_request(run, sim, change, option):
    result, failed = run(DEFINITION, args(sim, **change))
    assert failed and option in result['msg']
    assert admin(sim, '/_sim/stats')['requests'] == 0


def test_a_protocol_outside_the_choices_is_refused_by_the_spec(run, sim):
    result, failed = run(DEFINITION, args(sim, servers=[{'address': 'o.example.com', 'protocol': 'hls'}]))
    assert failed and 'protocol' in result['msg'] and 'rtmp, flv' in result['msg']
    assert admin(sim, '/_sim/stats')['requests'] == 0


def test_present_needs_servers(run, sim):
    result, failed = run(DEFINITION, args(sim, servers=None))
    assert failed and 'servers' in result['msg']


def test_an_app_with_a_fixed_relay_is_refused_with_a_hint(run, sim):
    admin(sim, '/_sim/config', {'play_relay_conflict': 'refuse'})
    admin(
        sim,
        '/_sim/state',
        {'configs': [{'Domain': VHOST, 'App': 'live', 'Stream': 's1', 'SrcAddrS': ['rtmp://o.example.com/live/s1']}]},
    )
    result, failed = run(DEFINITION, args(sim, app='live'))
    assert failed and result['error']['code'] == 'InvalidParam'
    assert 'cannot have both a fixed relay source' in result['msg'] and 'Hint:' in result['msg']
    assert groups(sim, 'live') == {}


def test_info_lists_groups_that_the_module_takes_back_as_they_are(run, sim):
    run(DEFINITION, args(sim, group='g1', servers=A))
    run(DEFINITION, args(sim, app='live', group='g2', servers=B))
    connection = dict(endpoint=sim.endpoint, access_key=AK, secret_key=SK, rate_limit=0)
    listed, failed = run(INFO, dict(connection, vhost=VHOST))
    assert not failed and listed['changed'] is False
    assert sorted((item['app'] or '', item['group']) for item in listed['play_relay_sources']) == [
        ('', 'g1'),
        ('live', 'g2'),
    ]
    one, _failed = run(INFO, dict(connection, vhost=VHOST, app='live'))
    assert [item['group'] for item in one['play_relay_sources']] == ['g2']
    for item in listed['play_relay_sources']:
        again, failed = run(DEFINITION, dict(connection, **{k: v for k, v in item.items() if v is not None}))
        assert not failed and again['changed'] is False
