# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Comparison and planning, on relay sources read back from API items."""

from __future__ import annotations

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._api_mapping import from_api_item
from ansible_collections.volcengine.live.plugins.module_utils._plan import (
    CREATE,
    DELETE,
    NO_CHANGE,
    UPDATE,
    clears_window,
    diff_view,
    differences,
    plan,
    same_stream,
)
from ansible_collections.volcengine.live.tests.unit.helpers.relay_sources import SRC, D, desired, item


def test_a_permanent_relay_read_back_equals_the_parameters():
    assert differences(from_api_item(item(), D), desired()) == []


def test_iso_and_epoch_input_compare_equal():
    iso = desired(start_time='2026-12-31T20:00:00+08:00', end_time='2027-01-01T02:00:00+08:00')
    current = from_api_item(item(StartTime='1798718400', EndTime=1798740000), D)
    assert differences(current, iso) == []
    assert plan(current, iso, 'present') == NO_CHANGE


@pytest.mark.parametrize(
    'overrides, fields',
    [
        (dict(src_addrs=list(reversed(SRC))), ['src_addrs']),
        (dict(src_addrs=SRC[:1]), ['src_addrs']),
        (dict(src_addrs=SRC + ['srt://c.example.com:9000']), ['src_addrs']),
        (dict(start_time=1798718400, end_time=1798740000), ['start_time', 'end_time']),
        (dict(src_addrs=SRC[:1], start_time=1798718400, end_time=1798740000), ['src_addrs', 'start_time', 'end_time']),
    ],
)
def test_differences(overrides, fields):
    assert differences(from_api_item(item(), D), desired(**overrides)) == fields


def test_timed_to_permanent_is_a_difference():
    current = from_api_item(item(StartTime=1798718400, EndTime=1798740000), D)
    assert differences(current, desired()) == ['start_time', 'end_time']


def test_only_the_end_moved():
    current = from_api_item(item(StartTime=1798718400, EndTime=1798740000), D)
    assert differences(current, desired(start_time=1798718400, end_time=1798740001)) == ['end_time']


@pytest.mark.parametrize(
    'current, state, overrides, action',
    [
        (None, 'present', {}, CREATE),
        (item(), 'present', {}, NO_CHANGE),
        (item(), 'present', dict(src_addrs=SRC[:1]), UPDATE),
        (item(), 'absent', {}, DELETE),
        (None, 'absent', {}, NO_CHANGE),
    ],
)
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
    unchanged = diff_view(current, desired(), NO_CHANGE)
    assert unchanged['before'] == unchanged['after'] == current


def test_clears_window():
    timed = from_api_item(item(StartTime=1798718400, EndTime=1798740000), D)
    assert clears_window(timed, desired())
    assert not clears_window(timed, desired(start_time=1798718400, end_time=1798740001))
    assert not clears_window(from_api_item(item(), D), desired())
    assert not clears_window(None, desired())
