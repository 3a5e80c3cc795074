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
from ansible_collections.volcengine.live.plugins.module_utils._planning import NO_CHANGE


class Convergence:
    """What a convergence found and did."""

    def __init__(self, current, action):
        self.current = current  # the state found first
        self.action = action  # what that first look called for
        self.written = None  # the state the write that took effect was planned from (None: nothing written)
        self.written_action = None  # the write that took effect
        self.answer = None  # what that write answered (None when its answer was lost)
        self.answer_lost = False  # a write was carried out but its answer never arrived

    @property
    def changed(self):
        return self.action != NO_CHANGE


def send_until_settled(pending, send, look_again, replan, retry, on_sent, on_found, on_failed):
    """Send the writes ``pending`` in rounds until none is left open; the one place write faults are handled.

    ``send(pending)`` carries out one round and returns one ``(answer, error)`` per write, in order (``error`` a
    :class:`~._client.LiveApiError`, or None). A write that succeeded goes to ``on_sent(write, answer)``. One whose
    outcome is open, while ``retry`` allows another round, is planned anew from a fresh look: after the round,
    ``look_again()`` reads the state once (at least ``retry.unanswered_write_wait`` after a write that got no
    answer at all: the API has no idempotency token, and a late commit must not be taken for a missing one and made
    twice), and ``replan(state, write)`` gives the write to send now, or None when the state is already as wanted
    (the write was carried out after all, its answer lost: it goes to ``on_found(write)``). Any other failure goes
    to ``on_failed(write, error)``, the error counting the rounds it took; so does every write still open when the
    look after a round fails. An error that follows a write which may have taken effect has ``after_write`` set.
    """
    attempt = 0
    while pending:
        attempt += 1
        still_open, unanswered = [], False
        for write, (answer, error) in zip(pending, send(pending)):
            if error is None:
                on_sent(write, answer)
            elif retry.may_look_again(error, attempt):
                still_open.append(write)
                unanswered = unanswered or error.outcome_unknown
            else:
                counted = error.after_attempts(max(error.attempts, attempt))
                # A write of an earlier round may have taken effect, and so may this one if it got no answer.
                counted.after_write = attempt > 1 or error.outcome_unknown
                on_failed(write, counted)
        if not still_open:
            return
        retry.wait(attempt, outcome_unknown=unanswered)
        try:
            state = look_again()
        except LiveApiError as error:  # the writes still open stay open: each fails with what the look met
            error.after_write = True
            for write in still_open:
                on_failed(write, error)
            return
        pending = []
        for write in still_open:
            again = replan(state, write)
            if again is None:
                on_found(write)
            else:
                pending.append(again)


def converge(look, plan, write, retry, check_mode=False):
    """Look up with ``look()``, plan with ``plan(state)`` and (unless ``check_mode``) write with
    ``write(action, state)`` until nothing is left to do; return the :class:`Convergence`.

    The write's faults are handled by :func:`send_until_settled`; one that cannot be settled is raised.
    """
    state = look()
    outcome = Convergence(state, plan(state))
    if outcome.action == NO_CHANGE or check_mode:
        return outcome

    def send(pending):
        ((action, planned_from),) = pending
        try:
            return [(write(action, planned_from), None)]
        except LiveApiError as error:
            return [(None, error)]

    def replan(now, _write):
        action = plan(now)
        return None if action == NO_CHANGE else (action, now)

    def on_sent(sent, answer):
        outcome.answer = answer
        outcome.written_action, outcome.written = sent

    def on_found(sent):
        outcome.answer_lost = True  # the write sent before was carried out after all, its answer lost
        outcome.written_action, outcome.written = sent

    def on_failed(_write, error):
        raise error

    send_until_settled([(outcome.action, state)], send, look, replan, retry, on_sent, on_found, on_failed)
    return outcome
