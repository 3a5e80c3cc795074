# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared, adaptive request pacing."""

from __future__ import annotations

import os
import stat
import threading
import time

import pytest

from ansible_collections.volcengine.live.plugins.module_utils import _pacing as pacing
from ansible_collections.volcengine.live.plugins.module_utils._pacing import (
    FASTEST_DRIFT,
    LATE,
    MAX_INTERVAL,
    Pacer,
    after_answer,
    after_success,
    after_throttle,
    base_interval,
    claim,
    reserve,
    state_file,
)

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


def test_throttled_answers_slow_down_and_others_recover():
    state = after_answer({}, 100.0, 100.004, BASE, throttled=True)
    assert state['interval'] == pytest.approx(2 * BASE)
    state = after_answer(state, 101.0, 101.004, BASE)
    assert state['interval'] == pytest.approx(2 * BASE * 0.9)


def test_throttling_doubles_the_interval_up_to_a_ceiling():
    state = {}
    intervals = []
    for second in range(10):
        state = after_throttle(state, 100.0 + second * 1.5, BASE)
        intervals.append(state['interval'])
    assert intervals[:3] == pytest.approx([2 * BASE, 4 * BASE, 8 * BASE])
    assert intervals[-1] == MAX_INTERVAL
    assert state['next'] >= 100.0 + 9 * 1.5 + MAX_INTERVAL


def test_a_burst_of_throttled_answers_slows_down_once():
    state = {}
    for offset in (0.0, 0.1, 0.2, 0.5, 0.99):
        state = after_throttle(state, 100.0 + offset, BASE)
    assert state['interval'] == pytest.approx(2 * BASE)
    state = after_throttle(state, 101.0, BASE)
    assert state['interval'] == pytest.approx(4 * BASE)


def test_success_recovers_towards_the_base():
    state = {'interval': 1.0, 'next': 50.0, 'hold': 40.0}
    for _unused in range(100):
        state = after_success(state, BASE)
    assert state['interval'] == pytest.approx(BASE)
    assert state['next'] == 50.0 and state['hold'] == 40.0


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
    one.acquire('List')
    two.acquire('List')
    one.acquire('List')
    two.acquire('Create')  # another action has its own budget
    assert clock.sleeps == pytest.approx([BASE, BASE])
    sent_at = one.acquire('List')
    one.answered('List', sent_at, throttled=True)
    two.acquire('List')
    assert clock.sleeps[-1] >= 2 * BASE


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
    from ansible_collections.volcengine.live.plugins.module_utils._connection import action_rates

    assert action_rates(10, {'List': 15.0}) == {'List': 15.0}
    assert action_rates(5, {'List': 15.0}) == {'List': 7.5}
    assert action_rates(0, {'List': 15.0}) == {'List': 0.0}
    assert action_rates(10, None) == {}


def test_a_rate_of_zero_turns_one_action_off(tmp_path):
    clock = FakeClock()
    pacer = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep, action_rates={'L': 0})
    assert [pacer.acquire('L') for _unused in range(3)] == [None, None, None]
    assert pacer.acquire('C') == clock.now
