# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Play-triggered relay (RelaySourceV3): its rules, its wire format and its plan. Pure functions."""

from __future__ import annotations

import pytest
from volcengine.live.v20230101.live_config import api_info

from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, DELETE, NO_CHANGE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import ValidationError
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.api import (
    ACTION_DELETE,
    ACTION_DESCRIBE,
    ACTION_UPDATE,
    delete_body,
    groups_from_api,
    update_body,
)
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.plan import (
    find_group,
    groups_to_send,
    in_scope,
    other_groups_changed,
    planned_action,
)
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.rules import (
    normalize_group_key,
    normalize_play_relay_source,
    validate_address,
    validate_params,
    validate_servers,
)
from ansible_collections.volcengine.live.tools.live_simulator import play_relay as simulator_rules


def group(name, *addresses, app=None):
    return {
        'vhost': 'pull.example.com',
        'app': app,
        'group': name,
        'servers': [{'address': address, 'protocol': 'rtmp', 'params': {}} for address in addresses],
    }


@pytest.mark.parametrize(
    'address',
    [
        'origin.example.com',
        'origin.example.com:1935',
        '203.0.113.7',
        '203.0.113.7:65535',
        '2001:db8::1',
        '[2001:db8::1]:1935',
        'localhost',
        'origin-1.example.com.',
        'origin_1.example.com:1935',  # "_": the one host rule of URLs and addresses (rules.is_host)
    ],
)
def test_addresses_that_are_taken(address):
    assert validate_address(address) == address


@pytest.mark.parametrize(
    'address, words',
    [
        ('rtmp://origin.example.com/live', 'no scheme or path'),
        ('origin.example.com/live', 'no scheme or path'),
        ('origin.example.com:0', 'invalid port'),
        ('origin.example.com:65536', 'invalid port'),
        ('origin.example.com:x', 'invalid port'),
        ('[2001:db8::1]1935', '[address]:port'),
        ('-bad.example.com', 'host name'),
        ('%s.example.com' % ('a' * 64), 'at most 63 characters'),
        ('fe80::1%eth0', 'host name'),  # a zone index is this machine's
        ('[fe80::1%eth0]:1935', 'host name'),
        ('', 'without white space'),
        (' origin.example.com', 'without white space'),
        ('999.1.1.1', 'host name'),
    ],
)
def test_addresses_that_are_refused(address, words):
    with pytest.raises(ValidationError) as info:
        validate_address(address, 'servers[0].address')
    assert info.value.option == 'servers[0].address' and words in str(info.value)


def test_params_are_strings_and_whole_numbers_their_digits():
    assert validate_params({'token': 'abc', 'ttl': 60}) == {'token': 'abc', 'ttl': '60'}
    assert validate_params(None) == {}
    for bad in ({'flag': True}, {'list': ['x']}, ['x'], {'': 'v'}):
        with pytest.raises(ValidationError):
            validate_params(bad)


def test_servers_are_one_to_ten_each_once_in_order():
    servers = [{'address': 'o%d.example.com' % i, 'protocol': 'flv'} for i in range(10)]
    assert [s['address'] for s in validate_servers(servers)] == ['o%d.example.com' % i for i in range(10)]
    for bad, words in (
        ([], 'at least one'),
        (servers + [{'address': 'x.example.com', 'protocol': 'rtmp'}], 'at most 10'),
        ([{'address': 'O.example.com', 'protocol': 'rtmp'}, {'address': 'o.example.com', 'protocol': 'RTMP'}], 'once'),
        ([{'address': 'o.example.com', 'protocol': 'hls'}], 'rtmp, flv'),
        ([{'address': 'o.example.com', 'protocol': 'rtmp', 'port': 1}], 'not an option'),
        ('o.example.com', 'list of servers'),
    ):
        with pytest.raises(ValidationError) as info:
            validate_servers(bad)
        assert words in str(info.value)


def test_the_normalised_group_and_its_key():
    params = dict(
        vhost='Pull.Example.com', app='', group='g1', servers=[{'address': 'o.example.com', 'protocol': 'RTMP'}]
    )
    assert normalize_play_relay_source(params) == {
        'vhost': 'pull.example.com',
        'app': None,
        'group': 'g1',
        'servers': [{'address': 'o.example.com', 'protocol': 'rtmp', 'params': {}}],
    }
    assert normalize_group_key(dict(vhost='pull.example.com', app='live', group='g1'))['app'] == 'live'


def test_what_the_collection_sends_the_simulator_reads_the_same():
    wanted = normalize_play_relay_source(
        dict(
            vhost='pull.example.com',
            app='live',
            group='g1',
            servers=[
                {'address': '[2001:db8::1]:1935', 'protocol': 'flv', 'params': {'k': 'v'}},
                {'address': 'o.example.com', 'protocol': 'rtmp'},
            ],
        )
    )
    vhost, app, groups = simulator_rules.check_update(update_body('pull.example.com', 'live', [wanted]))
    assert (vhost, app) == ('pull.example.com', 'live')
    config = {'Vhost': vhost, 'App': app, 'GroupDetails': groups}
    assert groups_from_api(config, 'pull.example.com') == [wanted]


def test_the_bodies():
    g = group('g1', 'o.example.com:1935')
    assert update_body('pull.example.com', None, [g]) == {
        'Vhost': 'pull.example.com',
        'GroupDetails': [
            {
                'Group': 'g1',
                'Servers': [
                    {'RelaySourceDomain': 'o.example.com:1935', 'RelaySourceProtocol': 'rtmp', 'RelaySourceParams': {}}
                ],
            }
        ],
    }
    assert update_body('pull.example.com', 'live', [g])['App'] == 'live'
    assert delete_body('pull.example.com', None, 'g1') == {'Vhost': 'pull.example.com', 'App': '', 'Group': 'g1'}
    assert delete_body('pull.example.com', 'live', 'g1')['App'] == 'live'


@pytest.mark.parametrize('action', [ACTION_DESCRIBE, ACTION_UPDATE, ACTION_DELETE])
def test_the_actions_are_what_the_official_sdk_calls(action):
    info = api_info[action]
    assert (info.method, info.path, info.query) == ('POST', '/', {'Action': action, 'Version': '2023-01-01'})


@pytest.mark.parametrize('app_key', [{}, {'App': ''}, {'App': None}])
def test_an_item_without_an_app_is_the_whole_vhosts(app_key):
    config = dict({'Vhost': 'PULL.example.com', 'GroupDetails': [{'Group': 'g', 'Servers': []}]}, **app_key)
    assert groups_from_api(config, 'pull.example.com')[0]['app'] is None


def test_scope_and_lookup():
    listed = [group('g1', 'a.example.com'), group('g1', 'b.example.com', app='live')]
    assert in_scope(listed, None) == [listed[0]] and in_scope(listed, 'live') == [listed[1]]
    assert find_group(in_scope(listed, 'live'), 'g1')['servers'][0]['address'] == 'b.example.com'
    assert find_group(listed, 'G1') is None


def test_the_plan():
    found = group('g1', 'a.example.com')
    assert planned_action(None, found, 'present') == CREATE
    assert planned_action(found, dict(found), 'present') == NO_CHANGE
    assert planned_action(found, group('g1', 'A.EXAMPLE.com'), 'present') == NO_CHANGE
    assert planned_action(found, group('g1', 'a.example.com', 'b.example.com'), 'present') == UPDATE
    assert (
        planned_action(
            group('g1', 'a.example.com', 'b.example.com'), group('g1', 'b.example.com', 'a.example.com'), 'present'
        )
        == UPDATE
    )
    with_params = group('g1', 'a.example.com')
    with_params['servers'][0]['params'] = {'k': 'v'}
    assert planned_action(found, with_params, 'present') == UPDATE
    assert planned_action(found, found, 'absent') == DELETE and planned_action(None, found, 'absent') == NO_CHANGE


def test_the_whole_list_is_sent_with_one_group_changed():
    scope = [group('g1', 'a.example.com'), group('g2', 'b.example.com'), group('g3', 'c.example.com')]
    changed = group('g2', 'x.example.com')
    assert groups_to_send(scope, changed) == [scope[0], changed, scope[2]]
    new = group('g4', 'd.example.com')
    assert groups_to_send(scope, new) == scope + [new]


def test_other_groups_changed_names_what_was_lost_or_changed():
    before = [group('g1', 'a.example.com'), group('g2', 'b.example.com'), group('g3', 'c.example.com')]
    after = [group('g1', 'z.example.com'), group('g3', 'c.example.com', 'd.example.com')]
    assert other_groups_changed(before, after, 'g1') == ['g2', 'g3']
    assert other_groups_changed(before, before, 'g1') == []


def test_a_group_sent_back_unchanged_keeps_what_the_service_answered():
    raw = {
        'Group': 'g2',
        'Servers': [{'RelaySourceDomain': 'b.example.com', 'RelaySourceProtocol': 'rtmp'}],
        'Weight': 5,
    }
    changed = group('g1', 'a.example.com')
    body = update_body('pull.example.com', None, [changed, group('g2', 'b.example.com')], {'g2': raw})
    assert body['GroupDetails'][1] is raw
    assert body['GroupDetails'][0]['Servers'][0]['RelaySourceDomain'] == 'a.example.com'


@pytest.mark.parametrize(
    'address',
    ['origin.example.com:²', 'origin.example.com:１９３５', 'origin.example.com:+80', 'fe80::1%\x00', 'orígin.com'],
)
def test_a_port_or_host_beyond_ascii_is_refused_not_a_traceback(address):
    """``'²'.isdigit()`` is true and ``int('²')`` fails: the port rule takes the digits 0-9 only."""
    with pytest.raises(ValidationError) as caught:
        validate_address(address)
    assert caught.value.option == 'servers.address'


@pytest.mark.parametrize('params', [{'k': 'v\x00'}, {'k\n': 'v'}, {'k': 10**5000}])
def test_origin_parameters_hold_no_control_character(params):
    with pytest.raises(ValidationError) as caught:
        validate_params(params)
    assert caught.value.option.startswith('servers.params')


@pytest.mark.parametrize(
    'config',
    [
        {'App': 'live', 'GroupDetails': 5},
        {'App': 'live', 'GroupDetails': [{'Group': 'g1', 'Servers': 7}]},
        {
            'App': 'live',
            'GroupDetails': [5, None, {'Group': 'g1', 'Servers': [3, {'RelaySourceDomain': 'o.example.com'}]}],
        },
    ],
)
def test_an_answer_of_odd_shapes_reads_as_what_it_holds_never_a_traceback(config):
    from ansible_collections.volcengine.live.plugins.module_utils._play_relay.api import groups_from_api

    groups = groups_from_api(config, 'pull.example.com')
    assert all(group['vhost'] == 'pull.example.com' for group in groups)
    assert [server['address'] for group in groups for server in group['servers']] in ([], ['o.example.com'])
