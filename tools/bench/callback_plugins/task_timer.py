# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper: record each task result's wall time and status to $TASK_TIMER_OUTPUT (JSON lines)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: task_timer
type: aggregate
short_description: Record per-task wall times for the benchmark
description:
  - Writes one JSON line per task result to the file named by the TASK_TIMER_OUTPUT environment variable.
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.started = {}
        self.path = os.environ.get('TASK_TIMER_OUTPUT')

    def v2_runner_on_start(self, host, task):
        self.started[(host.get_name(), task._uuid)] = time.monotonic()

    def _record(self, result, status):
        start = self.started.pop((result._host.get_name(), result._task._uuid), None)
        if self.path is None or start is None:
            return
        with open(self.path, 'a', encoding='utf-8') as handle:
            handle.write(
                json.dumps(
                    {
                        'host': result._host.get_name(),
                        'task': result._task.get_name(),
                        'action': result._task.action,
                        'status': status,
                        'seconds': time.monotonic() - start,
                    }
                )
                + '\n'
            )

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')
