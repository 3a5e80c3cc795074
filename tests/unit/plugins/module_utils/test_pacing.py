# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared, adaptive request pacing."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from ansible_collections.volcengine.live.plugins.module_utils import _pacing as pacing
from ansible_collections.volcengine.live.plugins.module_utils._pacing import (
    MAX_INTERVAL,
    Pacer,
    after_success,
    after_throttle,
    base_interval,
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


def test_pacer_shares_state_between_instances(tmp_path):
    clock = FakeClock()
    one = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)
    two = Pacer(10, 'e', 'ak', directory=str(tmp_path), clock=clock.time, sleep=clock.sleep)
    one.acquire('List')
    two.acquire('List')
    one.acquire('List')
    two.acquire('Create')  # another action has its own budget
    assert clock.sleeps == pytest.approx([BASE, 2 * BASE])
    one.throttled('List')
    two.acquire('List')
    assert clock.sleeps[-1] >= 2 * BASE


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
            reserved = pacer._update('List', reserve_and_report)
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
