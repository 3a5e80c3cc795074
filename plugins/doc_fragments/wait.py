# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The options of a module that can wait until what it wrote is delivered (``volcengine.live.stream_info``
    says what delivered means)."""

    DOCUMENTATION = r"""
options:
  wait:
    description:
      - After converging, wait until what the task configured is delivered, and fail naming what is not after
        O(wait_timeout) seconds; the result keeps what was written (RV(delivery) says what came online), so a rerun
        changes nothing and waits again.
      - Which relays are waited for is decided when the wait starts, those whose window is open then. A relay whose
        window has not opened yet is not waited for, even if it opens during the wait, and RV(delivery.not_open) says
        when it opens.
      - Check mode never waits, and only O(state=present) does. The waiting reads what M(volcengine.live.stream_info)
        reads, once every 2 seconds, with a client and budgets of its own; a look that fails on a fault that may pass
        does not end the wait.
    type: bool
    default: false
  wait_timeout:
    description:
      - How long O(wait) waits, in seconds, 1 to 86400 (a day).
    type: int
    default: 300
"""
