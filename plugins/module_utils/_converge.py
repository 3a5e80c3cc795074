# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Convergence of one resource, whatever the resource: look, plan, write, and never a blind second write.

A resource's ``_<resource>_converge.py`` says how to look its state up, how to plan from it and how to carry the
plan out; this loop owns what happens around them. A write whose outcome is open (no answer, a dropped
connection, a server error) is never sent again blindly: the state is looked up again and the plan is made anew,
so a write that was in fact carried out is found instead of being made twice. The
:class:`~._client.RetryPolicy` decides whether to look again, and how long to wait first.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError

CREATE = 'create'
UPDATE = 'update'
DELETE = 'delete'
NO_CHANGE = 'no_change'


class Convergence:
    """What a convergence found and did."""

    def __init__(self, current, action):
        self.current = current  # the state found first
        self.action = action  # what that first look called for
        self.written = None  # the state the successful write was planned from (None: nothing written)
        self.written_action = None  # the write that succeeded
        self.answer = None  # what the successful write answered
        self.answer_lost = False  # a write was carried out but its answer never arrived
        self.restored = []  # what a resource's check after the write had to put back

    @property
    def changed(self):
        return self.action != NO_CHANGE


def converge(look, plan, write, retry, check_mode=False):
    """Look up with ``look()``, plan with ``plan(state)`` and (unless ``check_mode``) write with
    ``write(action, state)`` until nothing is left to do; return the :class:`Convergence`.

    A write that fails transiently is followed by a fresh look, as many more rounds as ``retry`` allows; the
    last error is raised when they run out. After a write that got no answer at all, the next look waits at
    least ``retry.unanswered_write_wait``: the API has no idempotency token, and a late commit must not be taken
    for a missing one and made twice.
    """
    outcome = None
    attempt = 0
    while True:
        state = look()
        action = plan(state)
        if outcome is None:
            outcome = Convergence(state, action)
        elif action == NO_CHANGE:
            outcome.answer_lost = True  # the write sent before was carried out after all
        if action == NO_CHANGE or check_mode:
            return outcome
        attempt += 1
        try:
            outcome.answer = write(action, state)
        except LiveApiError as error:
            if not retry.may_look_again(error, attempt):
                raise error.after_attempts(max(error.attempts, attempt)) from None
            retry.wait(attempt, outcome_unknown=error.outcome_unknown)
            continue
        outcome.written, outcome.written_action = state, action
        return outcome
