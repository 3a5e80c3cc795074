# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs on one controller that converge the same resources at once make each of them once.

Several processes, as several ``ansible-playbook`` runs (or forks) make them, each run the module for the same
titles against one simulator, which carries each create out only after a while: without the controller-local
lock, every process finds no task of a title before the first create of it is carried out.
"""

from __future__ import annotations

import collections
import multiprocessing
import time

import pytest

from ansible_collections.volcengine.live.plugins.modules.pull_to_push_task import DEFINITION as TASK
from ansible_collections.volcengine.live.tests.unit.helpers import harness
from ansible_collections.volcengine.live.tests.unit.helpers.simulator import admin
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

AK, SK = 'AKLTconcurrent', 'concurrent-secret'
PROCESSES = 3
TITLES = ['event%d' % number for number in range(3)]
# Every create is carried out this long after it arrives, so that runs without the lock all look before it is.
CREATE_SECONDS = 0.5
START = int(time.time()) + 3600


@pytest.fixture
def sim(tmp_path):
    simulator = Simulator(state_path=str(tmp_path / 'state.json'), accounts={AK: SK}, rate_limit=0).start()
    yield simulator
    simulator.stop()


def task_args(endpoint, title):
    return dict(
        endpoint=endpoint,
        access_key=AK,
        secret_key=SK,
        rate_limit=0,
        timeout=5,
        retry_max_delay=0.01,
        title=title,
        type='live',
        source_url='rtmp://pull.example.com/live/launch',
        destination_url='rtmp://ingest.example.net/app/%s' % title,
        start_time=START,
        end_time=START + 3600,
    )


def converge_every_title(endpoint, ready, results):
    """One run: the task of every title, one after the other, once every run is ready."""
    harness.run_main(TASK, dict(task_args(endpoint, 'warmup'), _ansible_check_mode=True))  # imports: before the start
    ready.wait(60)
    for title in TITLES:
        result, failed = harness.run_main(TASK, task_args(endpoint, title))
        results.put((title, failed, result.get('msg')))


def test_concurrent_runs_make_each_task_once(sim, tmp_path, monkeypatch):
    monkeypatch.setenv('TMPDIR', str(tmp_path))  # the runs share their state folder there
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    slow = {'kind': 'slow', 'action': 'CreatePullToPushTask', 'seconds': CREATE_SECONDS, 'count': 0}
    admin(sim, '/_sim/faults', {'faults': [slow]})
    context = multiprocessing.get_context('spawn')
    ready, results = context.Barrier(PROCESSES), context.Queue()
    runs = [
        context.Process(target=converge_every_title, args=(sim.endpoint, ready, results))
        for _unused in range(PROCESSES)
    ]
    for run in runs:
        run.start()
    outcomes = [results.get(timeout=120) for _unused in range(PROCESSES * len(TITLES))]
    for run in runs:
        run.join(30)
    stored = collections.Counter(task['Title'] for task in admin(sim, '/_sim/state')['pull_to_push']['tasks'])
    assert [outcome for outcome in outcomes if outcome[1]] == []
    assert stored == dict.fromkeys(TITLES, 1)


def test_a_state_folder_that_cannot_be_used_is_warned_about_once_a_task(sim, tmp_path, monkeypatch):
    """Pacing and locks both look for the state folder: a bad one was warned about twice in one task."""
    import os

    monkeypatch.setattr('tempfile.tempdir', str(tmp_path))
    monkeypatch.setenv('HOME', str(tmp_path / 'home'))
    (tmp_path / 'home').write_text('not a folder')
    (tmp_path / ('volcengine-live-%d' % os.getuid())).symlink_to(tmp_path)
    result, failed = harness.run_main(TASK, dict(task_args(sim.endpoint, 'warned'), rate_limit=10))
    assert not failed, result
    warnings = result.get('warnings') or []
    assert len(warnings) == len(set(warnings)), warnings
    assert sum('symbolic link' in warning for warning in warnings) == 1, warnings
