# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared, adaptive request pacing."""

from __future__ import annotations

import collections
import contextlib
import heapq
import json
import os
import random
import signal
import stat
import threading
import time

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._core import pacing
from ansible_collections.volcengine.live.plugins.module_utils._core.pacing import (
    BETA,
    FASTEST_DRIFT,
    HOLD,
    KEEP,
    LATE,
    MAX_AHEAD,
    MAX_INTERVAL,
    MIN_RATE,
    SAFETY,
    SCALE,
    SHARE_SAFETY,
    WINDOW,
    Pacer,
    after_answer,
    after_throttle,
    base_interval,
    claim,
    clean_state,
    cubic_rate,
    cubic_zero,
    current_interval,
    current_rate,
    note_accepted,
    reserve,
    sending,
    state_file,
    whole_rate,
    window_count,
    young,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.retry import RetryPolicy

BASE = base_interval(10)


def test_base_interval_keeps_below_the_rate():
    assert pytest.approx(0.105) == BASE
    assert base_interval(0) == 0.0 and base_interval(None) == 0.0 and base_interval(-1) == 0.0


def test_reserve_spaces_requests():
    state, waits = {}, []
    for _unused in range(5):
        state, wait = reserve(state, 100.0, BASE)
        waits.append(wait)
    assert waits == pytest.approx([0.0, BASE, 2 * BASE, 3 * BASE, 4 * BASE])


def test_reserve_after_a_quiet_period_does_not_wait():
    state, _wait = reserve({}, 100.0, BASE)
    state, wait = reserve(state, 200.0, BASE)
    assert wait == 0.0 and state['next'] == pytest.approx(200.0 + BASE)


def test_a_free_slot_is_claimed_at_once():
    state, wait = reserve({}, 100.0, BASE)
    assert wait == 0.0 and state['sent'] == 100.0


def test_a_later_slot_is_claimed_when_its_sender_wakes():
    state, _wait = reserve({}, 100.0, BASE)
    state, wait = reserve(state, 100.0, BASE)
    assert wait == pytest.approx(BASE) and state['sent'] == 100.0
    state, wait = claim(state, 100.0 + BASE, BASE)
    assert wait == 0.0 and state['sent'] == pytest.approx(100.0 + BASE)


def test_a_claim_waits_one_interval_after_the_last_send():
    state = {'sent': 100.0, 'next': 100.0 + BASE}
    same, wait = claim(state, 100.05, BASE)
    assert same == state and wait == pytest.approx(BASE - 0.05)


def test_a_late_sender_pushes_the_following_slots():
    # Two slots reserved back to back; the second sender wakes late and sends at 100.2. The next request is
    # spaced from that moment, not from the slot the late one had reserved.
    state, _wait = reserve({}, 100.0, BASE)
    state, _wait = reserve(state, 100.01, BASE)
    state, wait = claim(state, 100.2, BASE)
    assert wait == 0.0
    state, wait = reserve(state, 100.21, BASE)
    assert 100.21 + wait == pytest.approx(100.2 + BASE)


def test_sends_never_crowd_a_second_whatever_the_wake_up_delays():
    # Five senders, a virtual clock, and wake-ups up to two intervals late: count the claims in every second.
    state, now, sends = {}, 1000.0, []
    delays = [0.0, 0.2, 0.0, 0.15, 0.01, 0.0, 0.09]
    waiting = []  # (wake time, sender)
    for sender in range(5):
        state, wait = reserve(state, now, BASE)
        if wait == 0:
            sends.append(now)
        else:
            waiting.append((now + wait + delays[sender % len(delays)], sender))
    step = 0
    while len(sends) < 200:
        waiting.sort()
        now, sender = waiting.pop(0)
        state, wait = claim(state, now, BASE)
        step += 1
        if wait > 0:
            waiting.append((now + wait + delays[step % len(delays)], sender))
            continue
        sends.append(now)
        state, wait = reserve(state, now + 0.003, BASE)
        if wait == 0:
            sends.append(now + 0.003)
        waiting.append((now + 0.003 + wait + delays[step % len(delays)], sender))
    sends.sort()
    gaps = [b - a for a, b in zip(sends, sends[1:])]
    assert min(gaps) >= BASE - 1e-9
    assert max(sum(1 for t in sends if start <= t < start + 1.0) for start in sends) <= 10


def test_an_ordinary_answer_leaves_the_spacing_alone():
    state = {'sent': 100.0, 'next': 100.0 + BASE, 'interval': BASE}
    state = after_answer(state, 100.0, 100.004, BASE)
    assert state['fastest'] == pytest.approx(0.004)
    state = after_answer(state, 100.0, 100.004 + LATE, BASE)  # jitter within the slack
    assert state['sent'] == 100.0 and state['next'] == pytest.approx(100.0 + BASE)
    assert state['fastest'] == pytest.approx(0.004 + FASTEST_DRIFT)


def test_a_late_answer_spaces_the_next_request_from_when_it_may_have_been_counted():
    state = {'fastest': 0.004}
    state, _wait = reserve(state, 100.0, BASE)
    state = after_answer(state, 100.0, 100.504, BASE)  # 0.5 s later than usual: a stalled network or machine
    counted = 100.0 + 0.5 - FASTEST_DRIFT - LATE
    assert state['sent'] == pytest.approx(counted)
    _state, wait = reserve(state, 100.504, BASE)
    assert 100.504 + wait == pytest.approx(counted + BASE)


def test_late_answers_never_let_a_window_hold_more_than_the_rate():
    # One sender, requests answered in 4 ms, but every 13th held for 0.3 s before the service counts it (the
    # answer comes back as late). Count what the service counted in every second.
    state, now, counted = {}, 1000.0, []
    for number in range(150):
        state, wait = reserve(state, now, BASE)
        now += wait
        while wait > 0:
            state, wait = claim(state, now, BASE)
            now += wait
        held = 0.3 if number % 13 == 5 else 0.0
        counted.append(now + 0.002 + held)
        now += 0.004 + held
        state = after_answer(state, counted[-1] - 0.002 - held, now, BASE)
    assert max(sum(1 for t in counted if start <= t < start + 1.0) for start in counted) <= 10


def test_the_fastest_answer_may_rise_slowly():
    state = after_answer({}, 100.0, 100.002, BASE)
    for _unused in range(100):
        state = after_answer(state, 100.0, 100.2, BASE)
    assert 0.1 < state['fastest'] < 0.2


# --- adapting: the CUBIC arithmetic ---------------------------------------------------------------------------


@pytest.mark.parametrize('peak', [0.6, 1.0, 2.5, 5.0, 7.0, 9.5, 14.0])
def test_the_curve_starts_at_beta_times_the_peak_and_is_back_at_it_after_k(peak):
    k = cubic_zero(peak)
    assert k == pytest.approx((peak * (1 - BETA) / SCALE) ** (1 / 3.0))
    assert cubic_rate(peak, 0.0, 100.0) == pytest.approx(max(MIN_RATE, BETA * peak))
    assert cubic_rate(peak, k, 100.0) == pytest.approx(peak)


def test_the_curve_is_scale_times_the_cube_of_the_time_from_k():
    peak, k = 5.0, cubic_zero(5.0)
    for elapsed in (0.3, 1.0, k - 0.5, k + 0.5, k + 2.0, k + 4.0):
        assert cubic_rate(peak, elapsed, 100.0) == pytest.approx(SCALE * (elapsed - k) ** 3 + peak)


def test_the_curve_flattens_at_the_peak_and_grows_faster_beyond_it():
    peak, k = 5.0, cubic_zero(5.0)
    rates = [cubic_rate(peak, k + offset, 100.0) for offset in (-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5)]
    steps = [rates[1] - rates[0], rates[3] - rates[2], rates[5] - rates[4], rates[7] - rates[6]]
    assert steps[0] > steps[1] > 0 and 0 < steps[2] < steps[3]  # concave up to K, convex after
    assert abs(cubic_rate(peak, k + 0.5, 100.0) - peak) < 0.01


def test_the_curve_never_leaves_its_bounds():
    ceiling = 10.0
    for elapsed in (0.0, 1.0, 10.0, 60.0, 1e6):
        assert MIN_RATE <= cubic_rate(9.0, elapsed, ceiling) <= ceiling
    assert cubic_rate(9.0, 60.0, ceiling) == ceiling
    assert cubic_rate(0.01, 0.0, ceiling) == MIN_RATE
    assert cubic_rate(5.0, -3.0, ceiling) == cubic_rate(5.0, 0.0, ceiling)  # a clock that went back
    assert cubic_rate(5.0, 0.0, 0.3) == 0.3  # an action paced below MIN_RATE keeps its own rate


def test_the_spacing_follows_the_rate_in_whole_requests_per_second():
    assert [whole_rate(r) for r in (1.0, 4.49, 4.5, 6.99, 10.0)] == [1.0, 4.0, 5.0, 7.0, 10.0]
    assert whole_rate(0.7) == 0.7
    peak = 6.0
    state = {'cut': 100.0, 'peak': peak}
    assert current_rate(state, 100.0, BASE) == pytest.approx(BETA * peak)  # 5.4
    assert current_interval(state, 100.0, BASE) == pytest.approx(SHARE_SAFETY / 5)


def test_under_a_cut_shares_of_whole_requests_keep_the_account_within_a_hundredth_of_its_limit():
    # Two controllers at a share of 5 each: SAFETY below each would leave 0.5 requests/s of the account unused.
    state = {'cut': 100.0, 'peak': 5.0}
    at_peak = 100.0 + cubic_zero(5.0)
    assert whole_rate(current_rate(state, at_peak, BASE)) == 5.0
    together = 2 * 1.0 / current_interval(state, at_peak, BASE)
    assert 9.9 <= together < 10.0
    # A share of the whole limit is never sent faster than the action's own rate.
    assert current_interval({'cut': 100.0, 'peak': 10.0}, 100.0 + cubic_zero(10.0), BASE) == BASE


def test_never_throttled_the_spacing_is_the_base_exactly():
    state, now, sends = {}, 1000.0, []
    for _unused in range(200):
        state, wait = reserve(state, now, BASE)
        now += wait
        while wait > 0:
            state, wait = claim(state, now, BASE)
            now += wait
        sends.append(now)
        state = after_answer(state, now, now + 0.004, BASE)
        now += 0.004
    gaps = [b - a for a, b in zip(sends, sends[1:])]
    assert gaps == pytest.approx([BASE] * 199)
    assert current_interval(state, now, BASE) is BASE
    assert 'cut' not in state and current_rate(state, now, BASE) == pytest.approx(10.0)


def test_a_throttled_answer_cuts_to_beta_times_the_share_the_service_accepted():
    state = {}
    for index in range(6):  # six accepted in the last second
        state = after_answer(state, 100.0 + index * 0.15, 100.004 + index * 0.15, BASE)
    assert window_count(state, 100.9) == 6
    state = after_answer(state, 100.9, 100.904, BASE, throttled=True)
    assert state['cut'] == 100.904 and state['peak'] == pytest.approx(6.0)
    assert current_rate(state, 100.904, BASE) == pytest.approx(BETA * 6.0)
    assert current_interval(state, 100.904, BASE) == pytest.approx(SHARE_SAFETY / 5)
    assert state['next'] >= 100.904 + SHARE_SAFETY / 5  # the next slot is pushed out


def sent_in_a_run(times, base=BASE):
    """The state after requests sent (and accepted) at ``times``, through reserve and claim as the Pacer sends."""
    state = {}
    for at in times:
        state, wait = reserve(state, at, base)
        if wait > 0:
            state, wait = claim(state, at + wait, base)
        state = after_answer(state, at, at + 0.004, base)
    return state


def test_a_run_of_requests_begins_with_the_first_and_after_a_silent_window():
    state = sent_in_a_run([100.0, 100.2, 100.4])
    assert state['since'] == 100.0 and young(state, 100.5) and not young(state, 101.0)
    state = sent_in_a_run([100.0, 100.2, 100.4, 101.0, 101.9])  # never a window apart: one run
    assert state['since'] == 100.0
    state, _wait = reserve(state, 103.0, BASE)  # more than a window after the last: a new run
    assert state['since'] == 103.0
    assert sending({'sent': 'damaged'}, 5.0)['since'] == 5.0


def test_a_throttled_answer_in_a_young_run_takes_half_the_rate():
    # Two controllers started at once: the first began 0.13 s earlier and the window holds six of its requests
    # and four of the other's. Halving what each sent, not what each got, gives both the same share.
    first = sent_in_a_run([100.0 + i * BASE for i in range(6)])
    second = sent_in_a_run([100.13 + i * BASE for i in range(4)])
    first = after_answer(first, 100.634, 100.638, BASE, throttled=True)
    second = after_answer(second, 100.555, 100.559, BASE, throttled=True)
    assert first['peak'] == pytest.approx(second['peak'], rel=0.02)
    assert first['peak'] == pytest.approx(10 / 2 * 0.95, rel=0.05)
    assert current_interval(first, 100.64, BASE) == current_interval(second, 100.64, BASE) == SHARE_SAFETY / 4


@pytest.mark.parametrize('accepted', [0, 1])
def test_a_controller_joining_a_busy_account_starts_from_about_half_its_rate(accepted):
    # Its first request, or its second after one got through, refused 0.11 s into the run: the window's count
    # (none, or one) would have left it at its slowest pace, or one request per second, while the other
    # controller kept the account.
    state = sent_in_a_run([100.0]) if accepted else reserve({}, 100.0, BASE)[0]
    sent_at = 100.105 if accepted else 100.0
    state = after_answer(state, sent_at, 100.11, BASE, throttled=True)
    assert state['peak'] == pytest.approx(10 / SAFETY / 2)  # half of what it sent at
    assert current_interval(state, 100.11, BASE) == pytest.approx(SHARE_SAFETY / 4)


def test_a_throttled_answer_in_a_young_run_waits_until_the_run_is_a_window_old():
    # The window is full of what was sent since the run began (this controller's first request among them):
    # nothing of it leaves before 101.0, so a request before then would only be refused again.
    state = sent_in_a_run([100.0 + i * BASE for i in range(3)])
    state = after_answer(state, 100.33, 100.334, BASE, throttled=True)
    assert state['next'] == pytest.approx(101.0)
    state, wait = reserve(state, 100.34, BASE)
    assert wait == pytest.approx(101.0 - 100.34)


def test_a_run_under_a_cut_is_never_young():
    # Slowed down to half a request per second, every request comes a window or more after the last one and
    # begins a run. The cut already measured this controller's share: a throttled answer is not halved again,
    # and the count is what the window holds, not scaled up from a fraction of a second.
    state = {'cut': 100.0, 'peak': 1.0, 'sent': 100.0, 'next': 102.1}
    state, wait = reserve(state, 102.1, BASE)
    assert wait == 0 and state['since'] == 102.1
    assert not young(state, 102.3)
    state = after_answer(state, 102.1, 102.105, BASE)
    assert window_count(state, 102.3) == 1
    state = after_answer(state, 102.3, 102.305, BASE, throttled=True)
    assert state['peak'] == pytest.approx(1.0) and state['cut'] == 102.305


def test_a_throttled_answer_after_the_first_window_measures_the_share():
    state = sent_in_a_run([100.0 + i * 0.2 for i in range(10)])  # 5 requests/s for two seconds
    state = after_answer(state, 102.0, 102.004, BASE, throttled=True)
    # the window holds four accepted (101.2 to 101.8) and the refused fifth: not halved
    assert not young(state, 102.004) and state['peak'] == pytest.approx(4.0)


def test_the_peak_is_the_curve_when_the_window_holds_more():
    state = {'cut': 100.0, 'peak': 4.0, 'accepted': [100.5 + i * 0.05 for i in range(9)]}
    now = 101.5
    rate = current_rate(state, now, BASE)
    assert rate < 9
    state = after_throttle(state, 101.2, now, BASE)
    assert state['peak'] == pytest.approx(rate) and state['cut'] == now


def test_a_throttled_answer_with_nothing_accepted_goes_to_the_slowest_rate():
    state = after_throttle({}, 100.0, 100.01, BASE)
    assert state['peak'] == MIN_RATE
    assert current_interval(state, 100.01, BASE) == pytest.approx(MAX_INTERVAL)


def test_a_burst_of_throttled_answers_cuts_once_per_hold():
    state = {'accepted': [99.5 + i * 0.1 for i in range(5)]}
    state = after_throttle(state, 100.0, 100.004, BASE)
    first = dict(state)
    for sent in (100.1, 100.5, 100.9, 100.004 + HOLD - 0.001):  # sent into the window the old pace filled
        state = after_throttle(state, sent, sent + 0.004, BASE)
        assert (state['cut'], state['peak']) == (first['cut'], first['peak'])
    state = after_throttle(state, 100.004 + HOLD, 100.008 + HOLD, BASE)  # sent after the hold: says something new
    assert state['cut'] == pytest.approx(100.008 + HOLD) and state['peak'] < first['peak']


def test_after_a_cut_the_rate_comes_back_to_the_base_exactly():
    state = after_throttle({'accepted': [99.2 + i * 0.1 for i in range(8)]}, 100.0, 100.0, BASE)
    intervals = []
    now = 100.0
    while 'cut' in state:
        now += 0.5
        state, _wait = reserve(state, now, BASE)
        intervals.append(current_interval(state, now, BASE))
    assert intervals[-1] is BASE and 'peak' not in state
    assert intervals == sorted(intervals, reverse=True)  # never slower again on the way back
    assert now - 100.0 < 15  # 7.2 back to 10 requests/s


def test_the_window_count_forgets_what_is_older_than_a_window():
    state = {}
    for sent in (99.0, 99.5, 99.95, 100.2, 100.4):
        state = note_accepted(state, sent, 100.4)
    assert state['accepted'] == [99.5, 99.95, 100.2, 100.4]  # 99.0 is more than a window before 100.4
    assert window_count(state, 100.4) == 4
    assert window_count(state, 101.0) == 2
    assert window_count(state, 102.0) == 0
    assert state['accepted'] == sorted(state['accepted'])


def test_a_damaged_list_of_accepted_requests_is_ignored():
    assert window_count({'accepted': 'not a list'}, 100.0) == 0
    assert window_count({'accepted': [99.5, 'x', None, True, 99.9]}, 100.0) == 2
    assert note_accepted({'accepted': {'a': 1}}, 100.0, 100.0)['accepted'] == [100.0]


def test_the_window_count_is_extrapolated_beyond_what_is_kept():
    state = {}
    for index in range(3 * KEEP):
        state = note_accepted(state, 100.0 + index * WINDOW / (2 * KEEP), 101.0)
    assert len(state['accepted']) == KEEP
    assert window_count(state, 100.0 + 3 * KEEP * WINDOW / (2 * KEEP)) == pytest.approx(2 * KEEP, rel=0.05)


def test_state_file_hides_the_access_key(tmp_path):
    path = state_file(str(tmp_path), 'https://live.volcengineapi.com', 'AKLTsecretish', 'ListRelaySourceV4')
    assert 'AKLT' not in path
    assert path != state_file(str(tmp_path), 'https://live.volcengineapi.com', 'AKLTsecretish', 'CreateRelaySourceV4')
    assert path != state_file(str(tmp_path), 'http://127.0.0.1:1', 'AKLTsecretish', 'ListRelaySourceV4')


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_pacer_shares_state_between_instances(tmp_path):
    clock = FakeClock()
    one = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)
    two = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)
    began = one.acquire('List')
    two.acquire('List')
    one.acquire('List')
    two.acquire('Create')  # another action has its own budget
    assert clock.sleeps == pytest.approx([BASE, BASE])
    sent_at = one.acquire('List')
    # Refused in the run's first window: the next request of either waits until the run is a window old.
    one.answered('List', sent_at, throttled=True)
    assert two.acquire('List') == pytest.approx(began + WINDOW)


def test_a_pacer_cuts_on_a_throttled_answer_and_climbs_back_through_its_file(tmp_path):
    clock = FakeClock()
    pacer = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)
    other = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)  # another fork
    for _unused in range(20):
        pacer.answered('Create', pacer.acquire('Create'))
    assert clock.sleeps[-1] == pytest.approx(BASE)
    sent_at = pacer.acquire('Create')
    pacer.answered('Create', sent_at, throttled=True)  # 9 accepted in the last second (at 9.5/s): cut to 8.1
    gaps, previous = [], sent_at
    while len(gaps) < 120:
        claimed = other.acquire('Create')
        other.answered('Create', claimed)
        gaps.append(claimed - previous)
        previous = claimed
    assert gaps[0] == pytest.approx(SHARE_SAFETY / 8)
    assert max(gaps) == pytest.approx(SHARE_SAFETY / 8)  # never slower than the cut
    assert gaps[-1] == pytest.approx(BASE)  # back at its own pace, exactly
    back = next(index for index, gap in enumerate(gaps) if gap == pytest.approx(BASE))
    assert 2 < sum(gaps[:back]) < 8  # K, then one more request per second


def test_acquire_returns_the_moment_it_claimed(tmp_path):
    clock = FakeClock()
    pacer = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)
    assert pacer.acquire('List') == 1000.0
    assert pacer.acquire('List') == pytest.approx(1000.0 + BASE)
    assert Pacer(0, 'e', 'ak', directory=str(tmp_path)).acquire('List') is None


def test_pacer_directory_is_private(tmp_path):
    directory = str(tmp_path / 'pacing')
    Pacer(10, 'e', 'ak', directory=directory).acquire('List')
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    (name,) = os.listdir(directory)
    assert stat.S_IMODE(os.stat(os.path.join(directory, name)).st_mode) == 0o600


def test_pacer_off(tmp_path):
    clock = FakeClock()
    pacer = Pacer(0, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)
    for _unused in range(5):
        pacer.acquire('List')
    assert clock.sleeps == [] and os.listdir(str(tmp_path)) == []


def test_pacer_without_a_writable_directory_does_not_pace(tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    pacer = Pacer(10, 'e', 'ak', directory=str(blocker / 'sub'))
    assert pacer.enabled is False
    pacer.acquire('List')


def test_pacer_survives_a_corrupt_state_file(tmp_path):
    clock = FakeClock()
    pacer = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)
    with open(state_file(str(tmp_path), 'e', 'ak', 'List'), 'w') as handle:
        handle.write('{not json')
    pacer.acquire('List')
    pacer.acquire('List')
    assert clock.sleeps == pytest.approx([BASE])


@pytest.mark.parametrize(
    'field, value',
    [
        ('sent', 'x'),
        ('sent', [1]),
        ('sent', 10**400),
        ('sent', 'Infinity'),
        ('next', 'x'),
        ('next', 1e12),
        ('cut', 'x'),
        ('cut', 999.0),  # a cut without its peak
        ('peak', -3),
        ('peak', True),
        ('fastest', 'x'),
        ('since', {'a': 1}),
        ('accepted', [1.0, 'x', 1e300, None]),
    ],
)
def test_a_damaged_field_of_the_state_file_is_left_out_and_the_pace_is_kept(tmp_path, field, value):
    clock = FakeClock()
    pacer = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)
    raw = json.dumps({field: value}).replace('"Infinity"', 'Infinity') if value != 10**400 else '{"sent": 1e400}'
    with open(state_file(str(tmp_path), 'e', 'ak', 'Create'), 'w') as handle:
        handle.write(raw)
    for throttled in (False, True, False):
        pacer.answered('Create', pacer.acquire('Create'), throttled=throttled)
    assert all(0 <= wait <= MAX_INTERVAL for wait in clock.sleeps)


def test_clean_state_keeps_what_the_arithmetic_uses():
    state = {'next': 1001.0, 'sent': 1000.5, 'cut': 999.0, 'peak': 4.0, 'fastest': 0.003, 'since': 990.0}
    state['accepted'] = [999.5, 999.9]
    assert clean_state(dict(state, other='kept out'), 1000.6) == state
    assert clean_state('not a dict', 1000.0) == {}


def test_clean_state_brings_moments_ahead_of_the_clock_back():
    ahead = 1000.0 + 3000.0  # a planted file, or a clock set back by 50 minutes
    state = {'next': ahead, 'sent': ahead, 'cut': ahead, 'since': ahead, 'peak': 4.0, 'accepted': [999.5, ahead]}
    assert clean_state(state, 1000.0) == {
        'next': 1000.0 + MAX_AHEAD,
        'sent': 1000.0,
        'cut': 1000.0,
        'since': 1000.0,
        'peak': 4.0,
        'accepted': [999.5],
    }
    assert MAX_AHEAD <= MAX_INTERVAL


@pytest.mark.parametrize('field, value', [('fastest', -1000.0), ('peak', 1e300)])
def test_clean_state_drops_what_would_move_the_arithmetic_out_of_bounds(field, value):
    assert field not in clean_state({field: value, 'cut': 999.0}, 1000.0)


def test_concurrent_pacers_never_share_a_slot(tmp_path):
    slots = []
    lock = threading.Lock()

    def reserve_and_report(state, now):
        new_state, _wait = pacing.reserve(state, now, base_interval(1000))
        return new_state, new_state['next']

    def worker():
        pacer = Pacer(1000, 'e', 'ak', directory=str(tmp_path), sleep=lambda s: None)
        for _unused in range(25):
            reserved, _now = pacer._update('List', reserve_and_report)
            with lock:
                slots.append(reserved)

    threads = [threading.Thread(target=worker) for _unused in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots.sort()
    assert len(slots) == 200
    gaps = [b - a for a, b in zip(slots, slots[1:])]
    assert min(gaps) >= base_interval(1000) * 0.999


def test_three_senders_that_wake_late_stay_within_the_rate(tmp_path):
    # Real threads and a real clock, as relay_sources' writers or forks share one action's pacing. Every third
    # sleep oversleeps by most of an interval, as a thread does on a busy controller.
    rate, per_thread = 20, 12
    sends, lock = [], threading.Lock()

    def worker(number):
        calls = [0]

        def late_sleep(seconds):
            calls[0] += 1
            time.sleep(seconds + (0.8 / rate if (calls[0] + number) % 3 == 0 else 0.0))

        pacer = Pacer(rate, 'e', 'ak', directory=str(tmp_path), sleep=late_sleep)
        for _unused in range(per_thread):
            claimed = pacer.acquire('Update')  # the moment it claimed, under the lock: no scheduler jitter
            with lock:
                sends.append(claimed)
            time.sleep(0.002)  # the request itself

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sends.sort()
    assert len(sends) == 3 * per_thread
    busiest = max(sum(1 for t in sends if start <= t < start + 1.0) for start in sends)
    assert busiest <= rate
    gaps = [b - a for a, b in zip(sends, sends[1:])]
    assert min(gaps) >= base_interval(rate) - 1e-6


def test_each_action_is_paced_at_its_own_rate(tmp_path):
    clock = FakeClock()
    pacer = Pacer(
        10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep, action_rates={'List': 15.0}
    )
    lists = [pacer.acquire('List') for _unused in range(16)]
    assert lists[-1] - lists[0] == pytest.approx(15 * base_interval(15))
    start = clock.now
    writes = [pacer.acquire('Create') for _unused in range(11)]
    assert writes[0] == start  # another action's file: not held up by the List calls
    assert writes[-1] - writes[0] == pytest.approx(10 * base_interval(10))


def test_action_rates_follow_the_rate_limit_in_proportion():
    from ansible_collections.volcengine.live.plugins.module_utils._core.connection import action_rates

    assert action_rates(10, {'List': 15.0}) == {'List': 15.0}
    assert action_rates(5, {'List': 15.0}) == {'List': 7.5}
    assert action_rates(0, {'List': 15.0}) == {'List': 0.0}
    assert action_rates(10, None) == {}


def test_a_rate_of_zero_turns_one_action_off(tmp_path):
    clock = FakeClock()
    pacer = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep, action_rates={'L': 0})
    assert [pacer.acquire('L') for _unused in range(3)] == [None, None, None]
    assert pacer.acquire('C') == clock.now


# --- controllers that share no file, against a service that counts requests per second --------------------------


class SlidingWindowLimiter:
    """The service's limit as the simulator enforces it: at most ``rate`` accepted requests in any one second."""

    def __init__(self, rate):
        self.rate = rate
        self.window = collections.deque()
        self.calls = self.throttled = 0
        self.accepted = []
        self.refused = []

    def allow(self, now):
        self.calls += 1
        while self.window and now - self.window[0] >= 1.0:
            self.window.popleft()
        if len(self.window) >= self.rate:
            self.throttled += 1
            self.refused.append(now)
            return False
        self.window.append(now)
        self.accepted.append(now)
        return True


def run_controllers(count, requests, seed=1, adapt=True):
    """``count`` controllers, each with a pacing state of its own (no shared file), each sending ``requests`` writes
    one after the other as relay_sources' create thread does: paced by the pure arithmetic the Pacer runs under its
    lock, answered in 2 to 6 ms, a throttled write sent again after the client's own wait (``RetryPolicy.delay``:
    the first retry at the pacer's next slot, then full-jitter backoff; without adapting, backoff from the first).
    Virtual time; deterministic for a seed.
    Returns the limiter and when each controller finished."""
    rng = random.Random(seed)
    retry = RetryPolicy(rand=rng.random)
    limiter = SlidingWindowLimiter(10)
    finished = [None] * count
    events = []

    def controller(number):
        state = {}
        yield 0.05 * number  # not quite at once, as processes start
        for _unused in range(requests):
            attempt = 1
            while True:
                now = yield 0.0
                state, wait = reserve(state, now, BASE)
                while wait > 0:
                    now = yield wait + rng.random() * 0.002  # a thread wakes a little late
                    state, wait = claim(state, now, BASE)
                sent = now
                latency = 0.002 + rng.random() * 0.004
                now = yield latency / 2
                accepted = limiter.allow(now)
                now = yield latency / 2
                state = after_answer(state, sent, now, BASE, throttled=adapt and not accepted)
                if accepted:
                    break
                yield retry.delay(attempt, paced=adapt)  # a client that paces adapts its pace too
                attempt += 1
        finished[number] = yield 0.0

    for number in range(count):
        gen = controller(number)
        heapq.heappush(events, (next(gen), number, gen))
    sequence = count
    while events:
        at, _order, gen = heapq.heappop(events)
        try:
            delay = gen.send(at)
        except StopIteration:
            continue
        sequence += 1
        heapq.heappush(events, (at + delay, sequence, gen))
    return limiter, finished


def close_to_the_limit(limiter, finished, requests):
    """Together at 85 % of the limit or more, and at most 10 % of the calls throttled."""
    return requests / max(finished) >= 0.85 * 10 and limiter.throttled <= 0.10 * limiter.calls


@pytest.mark.parametrize('seed', [1, 2, 3])
def test_two_controllers_that_share_nothing_find_their_shares(seed):
    limiter, finished = run_controllers(2, 300, seed)
    assert len(limiter.accepted) == 600
    assert close_to_the_limit(limiter, finished, 600)


@pytest.mark.parametrize('seed', [1, 2, 3])
def test_without_adapting_the_same_controllers_miss_the_bound(seed):
    # Each at its own 9.5 requests/s, throttled answers only delaying the resend (the client's backoff).
    limiter, finished = run_controllers(2, 300, seed, adapt=False)
    assert not close_to_the_limit(limiter, finished, 600)


def test_four_controllers_that_share_nothing_stay_close_to_the_limit():
    limiter, finished = run_controllers(4, 150, 1)
    assert 600 / max(finished) >= 0.80 * 10
    assert limiter.throttled <= 0.12 * limiter.calls


@pytest.mark.parametrize('seed', [1, 2, 3, 4])
def test_four_controllers_started_at_once_meet_few_refusals_after_the_first_cut(seed):
    # Each begins at its full rate: until the first throttled answer, the window fills with some 10 requests and
    # refuses the next few. After it, each waits for the window to turn instead of meeting it full again.
    limiter = run_controllers(4, 150, seed)[0]
    first = min(limiter.refused)
    assert len([t for t in limiter.refused if t < first + 2.0]) <= 10


def test_one_controller_alone_keeps_its_pace_and_is_never_throttled():
    limiter, finished = run_controllers(1, 1000, 1)
    assert limiter.throttled == 0
    assert finished[0] == pytest.approx(999 * BASE, rel=0.02)


# --- the state folder and file: never turned against the operator, never a hang, a traceback or a long stall ------


@contextlib.contextmanager
def within(seconds):
    """Fail the test, instead of hanging it, when its body takes longer than ``seconds``."""

    def expired(_signum, _frame):
        raise TimeoutError('still running after %d seconds' % seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def private_dir(path):
    path.mkdir(mode=0o700)
    path.chmod(0o700)
    return str(path)


def pacer_in(directory, clock, warnings, rate=10):
    return Pacer(rate, 'e', 'ak', directory=directory, clock=clock.time, sleep=clock.sleep, warn=warnings.append)


def test_a_folder_open_to_others_is_not_used(tmp_path):
    shared = tmp_path / 'shared'
    shared.mkdir()
    shared.chmod(0o770)
    clock, warnings = FakeClock(), []
    pacer = pacer_in(str(shared), clock, warnings)
    assert pacer.acquire('List') is None and pacer.enabled is False
    assert os.listdir(str(shared)) == []
    assert 'open to other users (mode 0770)' in warnings[0]


def test_a_folder_of_another_user_is_not_used(tmp_path, monkeypatch):
    directory = private_dir(tmp_path / 'theirs')
    monkeypatch.setattr(os, 'getuid', lambda: os.stat(directory).st_uid + 1)
    clock, warnings = FakeClock(), []
    assert pacer_in(directory, clock, warnings).acquire('List') is None
    assert os.listdir(directory) == [] and 'belongs to user id' in warnings[0]


def test_a_symbolic_link_as_the_folder_is_not_used(tmp_path):
    target = private_dir(tmp_path / 'target')
    (tmp_path / 'link').symlink_to(target)
    clock, warnings = FakeClock(), []
    assert pacer_in(str(tmp_path / 'link'), clock, warnings).acquire('List') is None
    assert os.listdir(target) == [] and 'symbolic link' in warnings[0]


def test_a_symbolic_link_planted_as_the_state_file_leaves_its_target_untouched(tmp_path):
    directory = private_dir(tmp_path / 'state')
    precious = tmp_path / 'precious'
    precious.write_text('keep me')
    os.symlink(str(precious), state_file(directory, 'e', 'ak', 'List'))
    clock, warnings = FakeClock(), []
    pacer = pacer_in(directory, clock, warnings)
    pacer.answered('List', pacer.acquire('List'))
    assert precious.read_text() == 'keep me'
    assert pacer.enabled is False and 'Pacing is off' in warnings[0] and clock.sleeps == []


def test_a_fifo_as_the_state_file_never_hangs_a_run(tmp_path):
    directory = private_dir(tmp_path / 'state')
    os.mkfifo(state_file(directory, 'e', 'ak', 'List'), 0o600)
    clock, warnings = FakeClock(), []
    with within(10):
        assert pacer_in(directory, clock, warnings).acquire('List') is None
    assert 'is not a regular file' in warnings[0]


def test_a_directory_as_the_state_file_turns_pacing_off_without_a_traceback(tmp_path):
    directory = private_dir(tmp_path / 'state')
    os.mkdir(state_file(directory, 'e', 'ak', 'List'))
    clock, warnings = FakeClock(), []
    pacer = pacer_in(directory, clock, warnings)
    assert pacer.acquire('List') is None and pacer.acquire('List') is None
    assert len(warnings) == 1 and 'cannot be opened' in warnings[0]


@pytest.mark.skipif(os.geteuid() == 0, reason='root reads a file of mode 0000')
def test_an_unreadable_state_file_turns_pacing_off_without_a_traceback(tmp_path):
    directory = private_dir(tmp_path / 'state')
    path = state_file(directory, 'e', 'ak', 'List')
    with open(path, 'w') as handle:
        handle.write('{}')
    os.chmod(path, 0)
    clock, warnings = FakeClock(), []
    assert pacer_in(directory, clock, warnings).acquire('List') is None
    assert 'cannot be opened' in warnings[0]


@pytest.mark.skipif(os.geteuid() != 0, reason='only root can give a file to another user')
def test_a_state_file_of_another_user_is_neither_read_nor_written(tmp_path):
    directory = private_dir(tmp_path / 'state')
    path = state_file(directory, 'e', 'ak', 'List')
    with open(path, 'w') as handle:
        handle.write('theirs')
    os.chown(path, 65534, 65534)
    clock, warnings = FakeClock(), []
    assert pacer_in(directory, clock, warnings).acquire('List') is None
    with open(path) as handle:
        assert handle.read() == 'theirs'
    assert 'belongs to user id 65534' in warnings[0]


def test_a_state_file_that_cannot_be_written_turns_pacing_off_without_a_traceback(tmp_path, monkeypatch):
    directory = private_dir(tmp_path / 'state')
    clock, warnings = FakeClock(), []
    pacer = pacer_in(directory, clock, warnings)

    def full(_fd, _length):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(os, 'ftruncate', full)
    assert pacer.acquire('List') is None
    pacer.answered('List', 1000.0)
    assert len(warnings) == 1 and 'No space left on device' in warnings[0]


def test_json_nested_too_deep_for_the_parser_is_discarded(tmp_path):
    directory = private_dir(tmp_path / 'state')
    with open(state_file(directory, 'e', 'ak', 'List'), 'w') as handle:
        handle.write('[' * 60000)
    clock, warnings = FakeClock(), []
    pacer = pacer_in(directory, clock, warnings)
    assert pacer.acquire('List') == 1000.0
    assert pacer.acquire('List') == pytest.approx(1000.0 + BASE)
    assert warnings == []


def test_times_planted_far_ahead_hold_a_run_up_no_longer_than_the_longest_interval(tmp_path):
    directory = private_dir(tmp_path / 'state')
    ahead = 1000.0 + 3000.0
    planted = {'next': ahead, 'sent': ahead, 'cut': ahead, 'since': ahead, 'peak': 0.01, 'fastest': -ahead}
    with open(state_file(directory, 'e', 'ak', 'Create'), 'w') as handle:
        json.dump(dict(planted, accepted=[ahead] * 10), handle)
    clock, warnings = FakeClock(), []
    pacer = pacer_in(directory, clock, warnings)
    pacer.answered('Create', pacer.acquire('Create'))
    assert sum(clock.sleeps) <= MAX_INTERVAL + 1e-9
    for throttled in (True, False, False):
        pacer.answered('Create', pacer.acquire('Create'), throttled=throttled)
    assert all(wait <= MAX_INTERVAL + 1e-9 for wait in clock.sleeps) and warnings == []


def test_a_clock_set_back_holds_a_run_up_no_longer_than_the_longest_interval(tmp_path):
    directory = private_dir(tmp_path / 'state')
    clock, warnings = FakeClock(), []
    clock.now += 3000.0
    pacer = pacer_in(directory, clock, warnings)
    for _unused in range(3):
        pacer.answered('Create', pacer.acquire('Create'))
    clock.now -= 3000.0  # the clock is set back by 50 minutes
    clock.sleeps.clear()
    assert pacer.acquire('Create') <= clock.now
    assert sum(clock.sleeps) <= MAX_INTERVAL + 1e-9


def test_the_default_folder_is_private_and_named_for_the_user(tmp_path, monkeypatch):
    from ansible_collections.volcengine.live.plugins.module_utils._core.state_dir import candidates

    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    monkeypatch.setattr('tempfile.tempdir', str(tmp_path))
    pacer = Pacer(10, 'e', 'ak')
    assert pacer.directory == candidates(os.getuid())[0] == str(tmp_path / ('volcengine-live-%d' % os.getuid()))
    assert stat.S_IMODE(os.lstat(pacer.directory).st_mode) == 0o700


@pytest.mark.parametrize('squat', ['symlink', 'open to others'])
def test_a_squatted_folder_in_the_temporary_directory_gives_way_to_one_under_home(tmp_path, monkeypatch, squat):
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    monkeypatch.setattr('tempfile.tempdir', str(tmp_path / 'tmp'))
    (tmp_path / 'tmp').mkdir()
    squatted = tmp_path / 'tmp' / ('volcengine-live-%d' % os.getuid())
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir(mode=0o700)
    if squat == 'symlink':
        squatted.symlink_to(elsewhere)
    else:
        squatted.mkdir()
        squatted.chmod(0o777)
    warnings = []
    pacer = Pacer(10, 'e', 'ak', warn=warnings.append)
    pacer.acquire('List')
    home = tmp_path / 'home' / '.ansible' / 'tmp' / ('volcengine-live-%d' % os.getuid())
    assert pacer.directory == str(home) and len(os.listdir(str(home))) == 1
    assert os.listdir(str(elsewhere)) == [] and (squat == 'symlink' or os.listdir(str(squatted)) == [])
    assert str(squatted) in warnings[0]


@pytest.mark.parametrize('mode, used', [(0o777, False), (0o1777, True), (0o755, True), (0o775, True), (0o773, False)])
def test_a_temporary_directory_others_could_swap_the_folder_out_of_is_not_used(tmp_path, monkeypatch, mode, used):
    """In a folder others may write to and that is not sticky, another user can rename the private folder away
    after it was checked and put one of theirs in its place (sticky, as /tmp: only the folder's owner can)."""
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    shared = tmp_path / 'shared'
    shared.mkdir()
    shared.chmod(mode)
    monkeypatch.setattr('tempfile.tempdir', str(shared / 'tmp'))
    warnings = []
    pacer = Pacer(10, 'e', 'ak', warn=warnings.append)
    home = tmp_path / 'home' / '.ansible' / 'tmp' / ('volcengine-live-%d' % os.getuid())
    if used:
        assert pacer.directory == str(shared / 'tmp' / ('volcengine-live-%d' % os.getuid())) and warnings == []
    else:
        assert pacer.directory == str(home)
        assert '%s, which is writable by every user and not sticky' % shared in warnings[0]


def test_the_folder_is_used_by_its_resolved_path_so_no_link_above_it_can_be_repointed(tmp_path, monkeypatch):
    """TMPDIR a symbolic link in a folder every user may write to: the link could be pointed elsewhere after the
    check, so the folder is used by the path the link resolved to, in a folder no one else writes to."""
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    mine, shared = tmp_path / 'mine', tmp_path / 'shared'
    mine.mkdir(mode=0o700)
    shared.mkdir()
    shared.chmod(0o777)
    (shared / 'tmp').symlink_to(mine)
    monkeypatch.setattr('tempfile.tempdir', str(shared / 'tmp'))
    warnings = []
    pacer = Pacer(10, 'e', 'ak', warn=warnings.append)
    assert pacer.directory == str(mine / ('volcengine-live-%d' % os.getuid())) and warnings == []


def test_without_any_private_folder_pacing_is_off_with_a_warning(tmp_path, monkeypatch):
    (tmp_path / 'home').write_text('not a folder')
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    monkeypatch.setattr('tempfile.tempdir', str(tmp_path / 'tmp'))
    (tmp_path / 'tmp').mkdir()
    (tmp_path / 'tmp' / ('volcengine-live-%d' % os.getuid())).write_text('not a folder')
    warnings = []
    pacer = Pacer(10, 'e', 'ak', warn=warnings.append)
    assert pacer.enabled is False and pacer.acquire('List') is None
    assert 'neither paced together nor locked' in warnings[-1]
