# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Normalisation of API items, comparison and planning."""

from __future__ import annotations

import pytest

from ansible_collections.volcengine.live.plugins.module_utils.state import (
    CREATE, DELETE, NOTHING, UPDATE, clears_window, diff_view, differences, from_api_item, plan, same_stream,
)
from ansible_collections.volcengine.live.plugins.module_utils.validation import normalize_relay_source

D = 'pull.example.com'
SRC = ['rtmp://a.example.com/live/s', 'rtmp://b.example.com/live/s']


def desired(**overrides):
    params = dict(domain='pull.example.com', app='live', stream='s', src_addrs=list(SRC))
    params.update(overrides)
    return normalize_relay_source(params)


def item(**overrides):
    base = {'Domain': 'pull.example.com', 'App': 'live', 'Stream': 's', 'SrcAddrS': list(SRC)}
    base.update(overrides)
    return base


@pytest.mark.parametrize('api, expected_times', [
    (item(), (None, None)),
    (item(StartTime=0, EndTime=0), (None, None)),
    (item(StartTime='', EndTime=''), (None, None)),
    (item(StartTime=None, EndTime=None), (None, None)),
    (item(StartTime=1798718400, EndTime=1798740000), (1798718400, 1798740000)),
    (item(StartTime='1798718400', EndTime='1798740000'), (1798718400, 1798740000)),
    (item(StartTime=1798718400.0, EndTime=1798740000.0), (1798718400, 1798740000)),
    (item(StartTime=1798718400), (None, None)),
    (item(StartTime=True, EndTime=True), (None, None)),
])
def test_from_api_item_times(api, expected_times):
    result = from_api_item(api, D)
    assert (result['start_time'], result['end_time']) == expected_times


def test_from_api_item_shape():
    assert from_api_item(item(Extra='ignored'), D) == {
        'domain': 'pull.example.com', 'app': 'live', 'stream': 's', 'src_addrs': SRC,
        'start_time': None, 'end_time': None,
    }
    assert from_api_item({}, D)['src_addrs'] == []


# How a List item may spell the Domain of the listed domain: no page says.
DOMAIN_SPELLINGS = [
    {'Domain': 'pull.example.com'}, {'Domain': 'PULL.Example.COM'}, {'Domain': 'pull.example.com.'},
    {'Domain': 'pull.example.com.volcgslb-sim.com'}, {'Domain': ''}, {'Domain': None}, {},
]


@pytest.mark.parametrize('spelling', DOMAIN_SPELLINGS)
def test_an_item_belongs_to_the_listed_domain_however_it_spells_it(spelling):
    api = item()
    api.pop('Domain')
    api.update(spelling)
    normalised = from_api_item(api, D)
    assert normalised['domain'] == D
    assert same_stream(normalised, 'live', 's')
    assert plan(normalised, desired(), 'present') == NOTHING
    assert diff_view(normalised, desired(), NOTHING)['before'] == desired()


def test_a_permanent_relay_read_back_equals_the_parameters():
    assert differences(from_api_item(item(), D), desired()) == []


def test_iso_and_epoch_input_compare_equal():
    iso = desired(start_time='2026-12-31T20:00:00+08:00', end_time='2027-01-01T02:00:00+08:00')
    current = from_api_item(item(StartTime='1798718400', EndTime=1798740000), D)
    assert differences(current, iso) == []
    assert plan(current, iso, 'present') == NOTHING


@pytest.mark.parametrize('overrides, fields', [
    (dict(src_addrs=list(reversed(SRC))), ['src_addrs']),
    (dict(src_addrs=SRC[:1]), ['src_addrs']),
    (dict(src_addrs=SRC + ['srt://c.example.com:9000']), ['src_addrs']),
    (dict(start_time=1798718400, end_time=1798740000), ['start_time', 'end_time']),
    (dict(src_addrs=SRC[:1], start_time=1798718400, end_time=1798740000), ['src_addrs', 'start_time', 'end_time']),
])
def test_differences(overrides, fields):
    assert differences(from_api_item(item(), D), desired(**overrides)) == fields


def test_timed_to_permanent_is_a_difference():
    current = from_api_item(item(StartTime=1798718400, EndTime=1798740000), D)
    assert differences(current, desired()) == ['start_time', 'end_time']


def test_only_the_end_moved():
    current = from_api_item(item(StartTime=1798718400, EndTime=1798740000), D)
    assert differences(current, desired(start_time=1798718400, end_time=1798740001)) == ['end_time']


@pytest.mark.parametrize('current, state, overrides, action', [
    (None, 'present', {}, CREATE),
    (item(), 'present', {}, NOTHING),
    (item(), 'present', dict(src_addrs=SRC[:1]), UPDATE),
    (item(), 'absent', {}, DELETE),
    (None, 'absent', {}, NOTHING),
])
def test_plan(current, state, overrides, action):
    current = from_api_item(current, D) if current is not None else None
    assert plan(current, desired(**overrides), state) == action


def test_same_stream():
    normalised = from_api_item(item(), D)
    assert same_stream(normalised, 'live', 's')
    assert not same_stream(normalised, 'Live', 's')  # names are case-sensitive
    assert not same_stream(normalised, 'live', 'S')
    assert not same_stream(normalised, 'live', 's2')


def test_diff_view():
    current = from_api_item(item(), D)
    wanted = desired(src_addrs=SRC[:1])
    view = diff_view(current, wanted, UPDATE)
    assert view['before'] == current and view['after'] == wanted
    assert view['before_header'] == 'relay source pull.example.com/live/s'
    assert diff_view(None, wanted, CREATE)['before'] == {}
    assert diff_view(current, {'domain': 'pull.example.com', 'app': 'live', 'stream': 's'}, DELETE)['after'] == {}
    unchanged = diff_view(current, desired(), NOTHING)
    assert unchanged['before'] == unchanged['after'] == current


def test_clears_window():
    timed = from_api_item(item(StartTime=1798718400, EndTime=1798740000), D)
    assert clears_window(timed, desired())
    assert not clears_window(timed, desired(start_time=1798718400, end_time=1798740001))
    assert not clears_window(from_api_item(item(), D), desired())
    assert not clears_window(None, desired())
