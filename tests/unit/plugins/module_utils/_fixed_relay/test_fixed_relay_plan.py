# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Comparison and planning, on relay sources read back from API items."""

from __future__ import annotations

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, DELETE, NO_CHANGE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import ValidationError
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import from_api_item
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.plan import (
    clears_window,
    diff_view,
    differences,
    domain_diff,
    plan_domain,
    planned_action,
    same_stream,
)
from ansible_collections.volcengine.live.tests.unit.helpers.relay_sources import SRC, D, desired, item


def test_a_permanent_relay_read_back_equals_the_parameters():
    assert differences(from_api_item(item(), D), desired()) == []


def test_iso_and_epoch_input_compare_equal():
    iso = desired(start_time='2026-12-31T20:00:00+08:00', end_time='2027-01-01T02:00:00+08:00')
    current = from_api_item(item(StartTime='1798718400', EndTime=1798740000), D)
    assert differences(current, iso) == []
    assert planned_action(current, iso, 'present') == NO_CHANGE


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
    assert planned_action(current, desired(**overrides), state) == action


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
    permanent = {'start_time_iso': None, 'end_time_iso': None}
    assert view['before'] == dict(current, **permanent) and view['after'] == dict(wanted, **permanent)
    assert view['before_header'] == 'relay source pull.example.com/live/s'
    assert diff_view(None, wanted, CREATE)['before'] == {}
    assert diff_view(current, {'domain': 'pull.example.com', 'app': 'live', 'stream': 's'}, DELETE)['after'] == {}
    unchanged = diff_view(current, desired(), NO_CHANGE)
    assert unchanged['before'] == unchanged['after'] == dict(current, **permanent)


def test_diff_view_shows_times_as_a_person_reads_them_in_the_offset_of_the_task():
    current = from_api_item(item(StartTime=1798718400, EndTime=1798740000), D)
    wanted = desired(start_time='2026-12-31T21:00:00+08:00', end_time='2027-01-01T03:00:00+08:00')
    view = diff_view(current, wanted, UPDATE, offset=8 * 3600)
    assert view['before']['start_time'] == 1798718400
    assert view['before']['start_time_iso'] == '2026-12-31T20:00:00+08:00'
    assert view['before']['end_time_iso'] == '2027-01-01T02:00:00+08:00'
    assert view['after']['start_time_iso'] == '2026-12-31T21:00:00+08:00'
    assert view['after']['end_time_iso'] == '2027-01-01T03:00:00+08:00'
    in_utc = diff_view(current, wanted, UPDATE)
    assert in_utc['before']['start_time_iso'] == '2026-12-31T12:00:00+00:00'
    assert list(view['before']).index('start_time_iso') == list(view['before']).index('start_time') + 1


def test_clears_window():
    timed = from_api_item(item(StartTime=1798718400, EndTime=1798740000), D)
    assert clears_window(timed, desired())
    assert not clears_window(timed, desired(start_time=1798718400, end_time=1798740001))
    assert not clears_window(from_api_item(item(), D), desired())
    assert not clears_window(None, desired())


# --- a whole domain ------------------------------------------------------------------------


def _domain(*streams, app='live'):
    return [from_api_item(item(Stream=stream, App=app), D) for stream in streams]


def test_plan_domain_sorts_every_stream_into_one_bucket():
    current = _domain('same', 'drift', 'stale')
    wanted = [desired(stream='same'), desired(stream='drift', src_addrs=SRC[:1]), desired(stream='new')]
    result = plan_domain(current, wanted, 'present')
    assert [d['stream'] for d in result.creates] == ['new']
    assert [(c['stream'], d['src_addrs']) for c, d in result.updates] == [('drift', SRC[:1])]
    assert result.deletes == [] and [c['stream'] for c in result.unchanged] == ['same']
    assert result.changed and result.summary() == 'create 1, update 1, delete 0, unchanged 1'
    assert [(action, d['stream']) for action, _c, d in result.writes()] == [(CREATE, 'new'), (UPDATE, 'drift')]


def test_purge_deletes_what_is_not_listed_of_the_purged_apps_only():
    current = _domain('keep', 'stale') + _domain('theirs', app='news')
    everything = plan_domain(current, [desired(stream='keep')], 'present', purge=True)
    assert sorted(c['stream'] for c in everything.deletes) == ['stale', 'theirs']
    limited = plan_domain(current, [desired(stream='keep')], 'present', purge=True, purge_apps=['live'])
    assert [c['stream'] for c in limited.deletes] == ['stale']
    assert plan_domain(current, [desired(stream='keep')], 'present').deletes == []


def test_absent_deletes_the_listed_that_exist():
    result = plan_domain(_domain('a', 'b'), [desired(stream='a'), desired(stream='gone')], 'absent', purge=True)
    assert [c['stream'] for c in result.deletes] == ['a'] and len(result.unchanged) == 1


def test_a_stream_listed_twice_by_the_service_counts_once():
    result = plan_domain(_domain('a', 'a'), [desired(stream='a')], 'present', purge=True)
    assert not result.changed and len(result.unchanged) == 1


def test_nothing_to_do():
    result = plan_domain(_domain('a'), [desired(stream='a')], 'present')
    assert not result.changed and result.writes() == []


def test_domain_diff_summary_first():
    result = plan_domain(_domain('stale'), [desired(stream='new')], 'present', purge=True)
    summary, create, delete = domain_diff(D, result)
    assert summary == {
        'before_header': 'relay sources of pull.example.com',
        'after_header': 'relay sources of pull.example.com',
        'before': '',
        'after': 'plan: create 1, update 0, delete 1, unchanged 0\n',
    }
    assert create['before'] == {} and create['after']['stream'] == 'new'
    assert delete['after'] == {} and delete['before']['stream'] == 'stale'


def test_a_window_that_is_over_is_no_change_when_found_so_and_refused_otherwise():
    over = desired(start_time=1766575800, end_time=1766586600)  # 2025-12-24, 19:30 to 22:30 at +08:00
    after = 1766586600  # the end itself is over
    found = from_api_item(item(StartTime=1766575800, EndTime=1766586600), D)
    assert planned_action(found, over, 'present', after) == NO_CHANGE
    for current in (None, from_api_item(item(StartTime=1766575800, EndTime=1766586600, SrcAddrS=SRC[:1]), D)):
        with pytest.raises(ValidationError) as caught:
            planned_action(current, over, 'present', after, 8 * 3600)
        assert caught.value.option == 'end_time'
        assert 'ended at 2025-12-24T22:30:00+08:00 (Unix 1766586600)' in str(caught.value)
    assert planned_action(None, over, 'present', after - 1) == CREATE  # not over yet
    assert planned_action(None, over, 'present') == CREATE  # no clock: no judgement
    assert planned_action(found, None, 'absent', after) == DELETE
    assert planned_action(None, desired(), 'present', 2**31) == CREATE  # a permanent relay has no window
    plan = plan_domain(
        [found],
        [over, desired(stream='t', start_time=1766575800, end_time=1766586600)],
        'present',
        now=after,
        offsets={('live', 't'): 0},
    )
    assert plan.unchanged == [found] and plan.creates == [] and not plan.changed
    ((refused, error),) = plan.refused
    assert refused['stream'] == 't' and 'ended at 2025-12-24T14:30:00+00:00' in str(error)
