# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Controller-local locks around look-then-write: between processes, in their hierarchy, bounded, and safe."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._core import locks
from ansible_collections.volcengine.live.plugins.module_utils._core.locks import (
    LockTimeout,
    acquire,
    converging,
    domain_key,
    group_key,
    lock_file,
    lock_wait,
    release,
    stream_key,
    task_key,
    vhost_key,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.module import TaskFailed

ENDPOINT, AK = 'https://live.example', 'AKLTlocks'
DOMAIN = domain_key('pull.example.com', exclusive=True)
DOMAIN_SHARED = domain_key('pull.example.com', exclusive=False)
STREAM = stream_key('pull.example.com', 'live', 'a')
OTHER_STREAM = stream_key('pull.example.com', 'live', 'b')
# How long a child process holds a lock in the tests between processes.
HOLD = 0.8


@pytest.fixture
def directory(tmp_path):
    path = tmp_path / 'state'
    path.mkdir(mode=0o700)
    return str(path)


@pytest.fixture
def state_tmp(tmp_path, monkeypatch):
    """The user's temporary directory for :func:`converging`, which finds the state folder under it."""
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    monkeypatch.setattr('tempfile.tempdir', str(tmp_path))
    return tmp_path


def take(directory, *keys, wait=5.0):
    return acquire(keys, directory, ENDPOINT, AK, wait)


def hold_in_child(directory, keys, held, released_at):
    """In another process: hold ``keys`` for HOLD seconds, then say when they were given up."""
    fds = acquire(keys, directory, ENDPOINT, AK, 10.0)
    held.set()
    time.sleep(HOLD)
    released_at.value = time.time()
    release(fds)


@pytest.fixture
def child(directory):
    """``child(*keys)``: another process that holds ``keys`` for HOLD seconds; returns the time they are given
    up at (``.value``, 0 until then)."""
    context = multiprocessing.get_context('spawn')
    started = []

    def start(*keys):
        held, released_at = context.Event(), context.Value('d', 0.0)
        process = context.Process(target=hold_in_child, args=(directory, keys, held, released_at))
        process.start()
        started.append(process)
        assert held.wait(60), 'the child process never took its locks'
        return released_at

    yield start
    for process in started:
        process.join(30)
        assert process.exitcode == 0


def test_the_lock_file_hides_the_access_key_and_tells_every_key_apart(directory):
    path = lock_file(directory, ENDPOINT, AK, STREAM.parts)
    assert 'AKLT' not in path and os.path.dirname(path) == directory
    others = [
        lock_file(directory, ENDPOINT, AK, OTHER_STREAM.parts),
        lock_file(directory, ENDPOINT, 'AKLTother', STREAM.parts),
        lock_file(directory, 'http://127.0.0.1:1', AK, STREAM.parts),
        lock_file(directory, ENDPOINT, AK, DOMAIN.parts),
    ]
    assert len({path, *others}) == 5
    # Parts are never joined into one string that two keys could share.
    assert lock_file(directory, ENDPOINT, AK, ('t', 'a\nb', 'c')) != lock_file(
        directory, ENDPOINT, AK, ('t', 'a', 'b\nc')
    )


def test_every_key_names_its_resource():
    assert 'pull.example.com/live/a' in STREAM.what and STREAM.exclusive
    assert 'pull.example.com' in DOMAIN.what and DOMAIN.exclusive and not DOMAIN_SHARED.exclusive
    assert "'launch'" in task_key('default', 'launch').what and 'group default' in task_key('default', 'x').what
    assert 'events' in group_key('events', exclusive=True).what
    assert vhost_key('pull.example.com').exclusive


def test_the_wait_is_the_larger_of_five_minutes_and_ten_timeouts():
    assert lock_wait(30) == 300.0 and lock_wait(5) == 300.0 and lock_wait(60) == 600.0


def test_a_second_process_waits_until_the_first_gives_the_lock_up(directory, child):
    released_at = child(DOMAIN_SHARED, STREAM)
    began = time.time()
    fds = take(directory, DOMAIN_SHARED, STREAM)
    acquired_at = time.time()
    release(fds)
    assert released_at.value and acquired_at >= released_at.value
    assert acquired_at - began >= HOLD / 2


def test_another_stream_of_the_same_domain_is_not_held_up(directory, child):
    released_at = child(DOMAIN_SHARED, STREAM)
    fds = take(directory, DOMAIN_SHARED, OTHER_STREAM)
    assert released_at.value == 0.0  # taken while the other process still held its stream
    release(fds)


def test_a_whole_domain_waits_for_a_run_that_converges_one_of_its_streams(directory, child):
    released_at = child(DOMAIN_SHARED, STREAM)
    fds = take(directory, DOMAIN)
    assert released_at.value and time.time() >= released_at.value
    release(fds)


def test_a_stream_waits_for_a_run_that_converges_its_whole_domain(directory, child):
    released_at = child(DOMAIN)
    fds = take(directory, DOMAIN_SHARED, OTHER_STREAM)
    assert released_at.value and time.time() >= released_at.value
    release(fds)


def test_a_lock_held_too_long_fails_at_the_deadline_and_holds_nothing(directory):
    held = take(directory, DOMAIN_SHARED, STREAM)
    began = time.monotonic()
    with pytest.raises(LockTimeout) as caught:
        take(directory, DOMAIN_SHARED, STREAM, wait=0.3)  # another open file: flock tells it apart in one process
    assert 0.3 <= time.monotonic() - began < 2.0 and caught.value.key == STREAM
    release(held)
    release(take(directory, DOMAIN, wait=0.3))  # the failed attempt gave its shared domain lock up


def converge_in(locked):
    with locked:
        pytest.fail('converged while another run held the lock')


def test_the_deadline_fails_the_task_naming_the_resource_and_the_other_run(state_tmp, monkeypatch):
    monkeypatch.setattr(locks, 'WAIT_MIN', 0.3)
    params = dict(endpoint=ENDPOINT, access_key=AK, timeout=0.01)
    warnings = []
    with converging(params, False, warnings.append, DOMAIN_SHARED, STREAM), pytest.raises(TaskFailed) as caught:
        converge_in(converging(params, False, warnings.append, DOMAIN_SHARED, STREAM))
    message = str(caught.value)
    assert 'Another run on this controller' in message and 'pull.example.com/live/a' in message
    assert caught.value.fields['changed'] is False and warnings == []


def test_check_mode_reads_without_waiting_for_a_lock(state_tmp, monkeypatch):
    monkeypatch.setattr(locks, 'WAIT_MIN', 0.3)
    params = dict(endpoint=ENDPOINT, access_key=AK, timeout=0.01)
    with converging(params, False, None, DOMAIN), converging(params, True, None, DOMAIN_SHARED, STREAM):
        pass


def test_the_locks_are_in_the_private_state_folder(state_tmp):
    params = dict(endpoint=ENDPOINT, access_key=AK, timeout=30)
    with converging(params, False, None, DOMAIN):
        pass
    folder = state_tmp / ('volcengine-live-%d' % os.getuid())
    assert os.listdir(str(folder)) == [os.path.basename(lock_file(str(folder), ENDPOINT, AK, DOMAIN.parts))]


def test_without_a_private_folder_the_task_runs_unlocked_and_says_so(state_tmp):
    (state_tmp / 'home').write_text('not a folder')
    (state_tmp / ('volcengine-live-%d' % os.getuid())).symlink_to(state_tmp)
    warnings, ran = [], []
    with converging(dict(endpoint=ENDPOINT, access_key=AK, timeout=30), False, warnings.append, DOMAIN):
        ran.append(True)
    assert ran and 'nor locked' in warnings[-1] and 'symbolic link' in warnings[0]


def test_a_fifo_planted_as_a_lock_file_never_hangs_the_task(state_tmp):
    folder = state_tmp / ('volcengine-live-%d' % os.getuid())
    folder.mkdir(mode=0o700)
    os.mkfifo(lock_file(str(folder), ENDPOINT, AK, DOMAIN.parts), 0o600)
    warnings, ran = [], []
    signal.alarm(10)
    try:
        with converging(dict(endpoint=ENDPOINT, access_key=AK, timeout=30), False, warnings.append, DOMAIN):
            ran.append(True)
    finally:
        signal.alarm(0)
    assert ran and 'runs unlocked' in warnings[0] and 'not a regular file' in warnings[0]
