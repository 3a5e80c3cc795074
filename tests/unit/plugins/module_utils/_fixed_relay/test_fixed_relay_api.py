# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The wire format both ways: request bodies from relay sources, relay sources from List items."""

from __future__ import annotations

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._core.planning import NO_CHANGE
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import (
    from_api_item,
    stream_key_body,
    to_api_body,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.plan import (
    diff_view,
    planned_action,
    same_stream,
)
from ansible_collections.volcengine.live.tests.unit.helpers.relay_sources import SRC, D, desired, item


def test_bodies():
    assert to_api_body(desired()) == {'Domain': D, 'App': 'live', 'Stream': 's', 'SrcAddrS': SRC}
    timed = to_api_body(desired(start_time=1798718400, end_time=1798740000))
    assert (timed['StartTime'], timed['EndTime']) == (1798718400, 1798740000)
    assert stream_key_body(D, 'live', 's') == {'Domain': D, 'App': 'live', 'Stream': 's'}


def test_a_body_read_back_is_the_relay_source():
    for relay_source in (desired(), desired(start_time=1798718400, end_time=1798740000)):
        assert from_api_item(to_api_body(relay_source), D) == relay_source


@pytest.mark.parametrize(
    'api, expected_times',
    [
        (item(), (None, None)),
        (item(StartTime=0, EndTime=0), (None, None)),
        (item(StartTime='', EndTime=''), (None, None)),
        (item(StartTime=None, EndTime=None), (None, None)),
        (item(StartTime=1798718400, EndTime=1798740000), (1798718400, 1798740000)),
        (item(StartTime='1798718400', EndTime='1798740000'), (1798718400, 1798740000)),
        (item(StartTime=1798718400.0, EndTime=1798740000.0), (1798718400, 1798740000)),
        (item(StartTime=1798718400), (None, None)),
        (item(StartTime=True, EndTime=True), (None, None)),
    ],
)
def test_from_api_item_times(api, expected_times):
    result = from_api_item(api, D)
    assert (result['start_time'], result['end_time']) == expected_times


def test_from_api_item_shape():
    assert from_api_item(item(Extra='ignored'), D) == {
        'domain': 'pull.example.com',
        'app': 'live',
        'stream': 's',
        'src_addrs': SRC,
        'start_time': None,
        'end_time': None,
    }
    assert from_api_item({}, D)['src_addrs'] == []


# How a List item may spell the Domain of the listed domain: no page says.
DOMAIN_SPELLINGS = [
    {'Domain': 'pull.example.com'},
    {'Domain': 'PULL.Example.COM'},
    {'Domain': 'pull.example.com.'},
    {'Domain': 'pull.example.com.volcgslb-sim.com'},
    {'Domain': ''},
    {'Domain': None},
    {},
]


@pytest.mark.parametrize('spelling', DOMAIN_SPELLINGS)
def test_an_item_belongs_to_the_listed_domain_however_it_spells_it(spelling):
    api = item()
    api.pop('Domain')
    api.update(spelling)
    normalised = from_api_item(api, D)
    assert normalised['domain'] == D
    assert same_stream(normalised, 'live', 's')
    assert planned_action(normalised, desired(), 'present') == NO_CHANGE
    assert diff_view(normalised, desired(), NO_CHANGE)['before'] == dict(
        desired(), start_time_iso=None, end_time_iso=None
    )
