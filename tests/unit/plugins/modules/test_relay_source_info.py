# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""relay_source_info in-process, with HTTP mocked at requests.Session."""

from __future__ import annotations

import pytest

from ansible_collections.volcengine.live.plugins.modules.relay_source_info import DEFINITION
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import envelope, stored


def args(**overrides):
    base = dict(
        domain='pull.example.com', access_key='AKLTinfo', secret_key='info-secret', retry_max_delay=0, rate_limit=0
    )
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def test_lists_every_page(run, http):
    http.configs.extend(stored('s%04d' % i, StartTime='1798718400', EndTime=1798740000) for i in range(1001))
    http.configs.append(stored('other', Domain='other.example.com'))
    result, failed = run(DEFINITION, args())
    assert not failed and result['changed'] is False
    assert len(result['relay_sources']) == 1001
    assert result['relay_sources'][1000] == {
        'domain': 'pull.example.com',
        'app': 'live',
        'stream': 's1000',
        'src_addrs': ['rtmp://origin-a.example.com/live/match-42'],
        'start_time': 1798718400,
        'start_time_iso': '2026-12-31T12:00:00+00:00',  # an _info module has no offset of the play: UTC
        'end_time': 1798740000,
        'end_time_iso': '2026-12-31T18:00:00+00:00',
    }
    assert [c['body']['Page'] for c in http.calls] == [1, 2, 3]


@pytest.mark.parametrize(
    'filters, streams',
    [
        (dict(app='live'), ['a', 'b']),
        (dict(app='vod'), ['c']),
        (dict(stream='b'), ['b']),
        (dict(app='vod', stream='b'), []),
    ],
)
def test_filters(run, http, filters, streams):
    http.configs.extend([stored('a'), stored('b'), stored('c', App='vod')])
    result, failed = run(DEFINITION, args(**filters))
    assert not failed
    assert [item['stream'] for item in result['relay_sources']] == streams


def test_check_mode_reads_too(run, http):
    http.configs.append(stored('a'))
    result, failed = run(DEFINITION, dict(args(), _ansible_check_mode=True))
    assert not failed and len(result['relay_sources']) == 1


@pytest.mark.parametrize(
    'overrides, option',
    [
        (dict(domain='bad domain'), 'domain'),
        (dict(app='a/b'), 'app'),
        (dict(stream=''), 'stream'),
    ],
)
def test_invalid_filters_fail_before_any_request(run, http, overrides, option):
    result, failed = run(DEFINITION, args(**overrides))
    assert failed and result['msg'].startswith(option + ': ')
    assert http.calls == []


def test_needs_credentials(run, http):
    result, failed = run(DEFINITION, args(access_key=None, secret_key=None))
    assert failed and 'VOLCENGINE_ACCESS_KEY' in result['msg']
    assert http.calls == []


def test_api_error(run, http):
    http.answers['ListRelaySourceV4'] = [
        envelope('ListRelaySourceV4', error='RequestForbidden.AccountIDNotAllow', status=403)
    ]
    result, failed = run(DEFINITION, args())
    assert failed and result['error']['code'] == 'RequestForbidden.AccountIDNotAllow'


@pytest.mark.parametrize(
    'spell',
    [
        lambda item: dict(item, Domain=item['Domain'].upper() + '.'),
        lambda item: {k: v for k, v in item.items() if k != 'Domain'},
    ],
)
def test_items_carry_the_listed_domain_however_list_spells_it(run, http, spell):
    http.spell_domain = spell
    http.configs.append(stored('a'))
    result, failed = run(DEFINITION, args(domain='PULL.example.com'))
    assert not failed
    assert [item['domain'] for item in result['relay_sources']] == ['pull.example.com']
