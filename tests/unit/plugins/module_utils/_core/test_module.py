# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How a module definition runs: what it says to the task."""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.module import warn_once


def test_a_task_s_warnings_are_said_once_each():
    said = []
    warn = warn_once(said.append)
    for message in ['pacing is off', 'the folder is a link', 'pacing is off', 'the folder is a link', 'another']:
        warn(message)
    assert said == ['pacing is off', 'the folder is a link', 'another']
