# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The simulator's play-triggered relay: each behaviour no page documents, as its mode says."""

from __future__ import annotations

import pytest

from ansible_collections.volcengine.live.tools.live_simulator import play_relay, rules


def g(name, domain='o.example.com'):
    return {'Group': name, 'Servers': [{'RelaySourceDomain': domain, 'RelaySourceProtocol': 'rtmp'}]}


def names(store, vhost='v.example.com', app=None, mode='every_app'):
    return [
        (item.get('App', ''), detail['Group'], detail['Servers'][0]['RelaySourceDomain'])
        for item in store.describe(vhost, app, None, mode)
        for detail in item['GroupDetails']
    ]


def test_upsert_keeps_the_groups_not_sent_and_replace_drops_them(tmp_path):
    for mode, expected in (
        ('upsert', [('', 'g1', 'new.example.com'), ('', 'g2', 'o.example.com')]),
        ('replace', [('', 'g1', 'new.example.com')]),
    ):
        store = play_relay.PlayRelayStore(str(tmp_path / mode))
        store.update('v.example.com', '', [g('g1'), g('g2')], mode)
        store.update('v.example.com', '', [g('g1', 'new.example.com')], mode)
        assert names(store) == expected
        assert names(play_relay.PlayRelayStore(str(tmp_path / mode))) == expected  # kept in its file


def test_describe_without_app_answers_every_app_or_the_vhost_only():
    store = play_relay.PlayRelayStore()
    store.update('v.example.com', '', [g('g1')], 'upsert')
    store.update('v.example.com', 'live', [g('g2')], 'upsert')
    assert names(store, mode='every_app') == [('', 'g1', 'o.example.com'), ('live', 'g2', 'o.example.com')]
    assert names(store, mode='vhost_only') == [('', 'g1', 'o.example.com')]
    assert names(store, app='live') == [('live', 'g2', 'o.example.com')]
    assert 'App' not in store.describe('v.example.com', None, None, 'vhost_only')[0]


def test_delete_without_app_removes_from_the_vhost_or_from_every_app():
    for mode, left in (('vhost_only', [('live', 'g1', 'o.example.com')]), ('every_app', [])):
        store = play_relay.PlayRelayStore()
        store.update('v.example.com', '', [g('g1')], 'upsert')
        store.update('v.example.com', 'live', [g('g1')], 'upsert')
        assert store.delete('v.example.com', '', 'g1', mode) is True
        assert names(store) == left
        assert store.delete('v.example.com', '', 'g1', mode) is False


@pytest.mark.parametrize(
    'body, words',
    [
        ({'App': 'live', 'GroupDetails': [g('g1')]}, 'Vhost is required'),
        ({'Vhost': 'v.example.com', 'GroupDetails': []}, 'GroupDetails is required'),
        ({'Vhost': 'v.example.com', 'GroupDetails': [g('g1'), g('g1')]}, 'listed twice'),
        ({'Vhost': 'v.example.com', 'GroupDetails': [{'Group': 'g', 'Servers': []}]}, '1 to 10'),
        ({'Vhost': 'v.example.com', 'GroupDetails': [g('g', 'rtmp://o.example.com/live')]}, 'RelaySourceDomain'),
        (
            {
                'Vhost': 'v.example.com',
                'GroupDetails': [
                    {'Group': 'g', 'Servers': [{'RelaySourceDomain': 'o.example.com', 'RelaySourceProtocol': 'hls'}]}
                ],
            },
            'rtmp or flv',
        ),
    ],
)
def test_update_bodies_the_service_refuses(body, words):
    with pytest.raises(rules.ApiError) as info:
        play_relay.check_update(body)
    assert words in info.value.message
