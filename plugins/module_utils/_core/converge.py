# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Convergence of one resource, whatever the resource: look, plan, write, and never a blind second write.

A resource's ``_<resource>/converge.py`` says how to look its state up, how to plan from it and how to carry the
plan out; this loop owns what happens around them. A write whose outcome is open (no answer, a dropped
connection, a server error) is never sent again blindly: the state is looked up again and the plan is made anew,
so a write that was in fact carried out is found instead of being made twice. The
:class:`_core.retry.RetryPolicy` decides whether to look again, and how long to wait first.

A create whose outcome is unknown (it got no answer that says whether it was carried out) is never sent again in
the same run, however the looks after it turn out: the API has no idempotency token, and the service may commit a
create long after its answer was given up on, later than any look. It is looked for
:data:`LOOKS_FOR_UNANSWERED_CREATE` times, each look at least ``RetryPolicy.unanswered_write_wait`` after the one
before, as the budgets allow (each look counts against the retries, and its wait against the answer budget, taking
at most half of what is left of it); when none finds it, or none may be made, the write fails with
:class:`CreateOutcomeUnknown`, and a rerun, which looks first, converges. Updates and deletes are made by key:
sending one again cannot make a second resource, so they are planned anew from each look.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, NO_CHANGE
from ansible_collections.volcengine.live.plugins.module_utils._core.retry import ANSWER

# How many looks look for a create whose outcome is unknown before it fails as CreateOutcomeUnknown.
LOOKS_FOR_UNANSWERED_CREATE = 2


class CreateOutcomeUnknown(LiveApiError):
    """A create got no answer that says whether it was carried out, and the looks after it did not find it.

    It was not sent again (the service may still carry it out: a second create could make a duplicate). The task
    fails reporting a change, since the create may yet take effect; a rerun looks first and converges.
    ``looks`` is how many looks were made, ``seconds`` how long after the create gave up the last one ended.
    """

    def __init__(self, error, looks, seconds):
        super().__init__(
            error.action,
            error.code,
            error.service_message,
            request_id=error.request_id,
            status=error.status,
            outcome_unknown=True,
        )
        self.attempts = error.attempts
        self.after_write = True
        self.wait_kind, self.endpoint, self.waited = error.wait_kind, error.endpoint, error.waited
        self.looks = looks
        self.seconds = seconds

    def __str__(self):
        return outcome_unknown_message(self._compose(), self.action, self.looks, self.seconds)


def outcome_unknown_message(failure, action, looks, seconds):
    """What the task says when the create ``action`` that failed with ``failure`` was looked for in vain. Pure."""
    if looks:
        looked = 'it was not found when looked up again %s, the last look %d s after the request gave up' % (
            'once' if looks == 1 else '%d times' % looks,
            int(round(seconds)),
        )
    else:
        looked = 'no retry or time was left to look it up again'
    return (
        '%s. %s got no answer that says whether it was carried out, and %s. The service may still carry it out, so '
        'it was not sent again (a second create could make a duplicate). Rerun the task: it looks first, and creates '
        'only what it does not find.' % (failure, action, looked)
    )


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


class _Unanswered:
    """A create whose outcome is unknown: looked for, never sent again."""

    def __init__(self, write, error, retry):
        self.write = write
        self.error = error
        self.looks = 0
        self.retry = retry
        self.since = retry.clock()  # when its request gave up

    def failure(self):
        return self.retry.explain(CreateOutcomeUnknown(self.error, self.looks, self.retry.clock() - self.since))


def _never(_write):
    return False


def send_until_settled(  # noqa: PLR0912, PLR0913 - the one place write faults are handled: a hook per callback, a fault per branch
    pending,
    send,
    look_again,
    replan,
    retry,
    on_sent,
    on_found,
    on_failed,
    unrepeatable=None,
):
    """Send the writes ``pending`` in rounds until none is left open; the one place write faults are handled.

    ``send(pending)`` carries out one round and returns one ``(answer, error)`` per write, in order (``error`` a
    :class:`_core.errors.LiveApiError`, or None). A write that succeeded goes to ``on_sent(write, answer)``. One whose
    outcome is open, while ``retry`` allows another round, is planned anew from a fresh look: after the round,
    ``look_again()`` reads the state once (at least ``retry.unanswered_write_wait`` after a write that got no
    answer at all: the API has no idempotency token, and a late commit must not be taken for a missing one and made
    twice), and ``replan(state, write)`` gives the write to send now, or None when the state is already as wanted
    (the write was carried out after all, its answer lost: it goes to ``on_found(write)``). Any other failure goes
    to ``on_failed(write, error)``, the error counting the rounds it took; so does every write still open when the
    look after a round fails. An error that follows a write which may have taken effect has ``after_write`` set.

    The looks draw on ``retry``'s budgets as any request does: the wait before a look after a write that got no
    answer counts against the answer budget (at most half of what is left of it), and a write whose error drew on a
    budget with nothing left is not looked for again: it fails as when the retries have run out.

    ``unrepeatable(write)`` says whether ``write`` makes a new resource (a create), which is never sent again
    after an answer that leaves its outcome unknown: it is looked for by up to :data:`LOOKS_FOR_UNANSWERED_CREATE`
    looks, one per round, and fails with :class:`CreateOutcomeUnknown` when none finds it. A look that finds it,
    as wanted or not, settles it as any other write (found, or the update ``replan`` gives).
    """
    unrepeatable = unrepeatable or _never
    attempt = 0
    unanswered_creates = []
    while pending or unanswered_creates:
        attempt += 1
        still_open, unanswered, no_answer = [], False, False
        for write, (answer, error) in zip(pending, send(pending) if pending else []):
            if error is None:
                on_sent(write, answer)
            elif not retry.may_look_again(error, attempt):
                counted = error.after_attempts(max(error.attempts, attempt))
                # A write of an earlier round may have taken effect, and so may this one if it got no answer.
                counted.after_write = attempt > 1 or error.outcome_unknown
                if error.outcome_unknown and unrepeatable(write):  # never sent again, whatever stopped the looks
                    counted = CreateOutcomeUnknown(counted, 0, 0)
                on_failed(write, retry.explain(counted))
            elif error.outcome_unknown and unrepeatable(write):
                unanswered_creates.append(_Unanswered(write, error, retry))
            else:
                still_open.append(write)
                unanswered = unanswered or error.outcome_unknown
                no_answer = no_answer or error.wait_kind == ANSWER
        if not (still_open or unanswered_creates):
            return
        no_answer = no_answer or any(create.error.wait_kind == ANSWER for create in unanswered_creates)
        retry.wait(attempt, outcome_unknown=unanswered or bool(unanswered_creates), kind=ANSWER if no_answer else None)
        try:
            state = look_again()
        except LiveApiError as error:  # the writes still open stay open: each fails with what the look met
            error.after_write = True
            for write in still_open + [create.write for create in unanswered_creates]:
                on_failed(write, error)
            return
        pending = []
        for write in still_open:
            again = replan(state, write)
            if again is None:
                on_found(write)
            else:
                pending.append(again)
        unanswered_creates = _look_for_creates(
            unanswered_creates,
            state,
            replan,
            unrepeatable,
            retry.may_look_for_create(attempt + 1),
            pending,
            on_found,
            on_failed,
        )


def _look_for_creates(  # noqa: PLR0913 - the state of send_until_settled's round, passed on as it is
    creates,
    state,
    replan,
    unrepeatable,
    may_look_again,
    pending,
    on_found,
    on_failed,
):
    """Settle the unanswered ``creates`` from ``state``; return those to look for again.

    A create found as wanted goes to ``on_found``; one found otherwise gives the write ``replan`` makes of it
    (by key, so safe to send) to ``pending``; one not found is looked for again while looks and ``retry``
    allow, else it goes to ``on_failed`` as :class:`CreateOutcomeUnknown`.
    """
    again_later = []
    for create in creates:
        again = replan(state, create.write)
        create.looks += 1
        if again is None:
            on_found(create.write)
        elif not unrepeatable(again):
            pending.append(again)
        elif may_look_again and create.looks < LOOKS_FOR_UNANSWERED_CREATE:
            again_later.append(create)
        else:
            on_failed(create.write, create.failure())
    return again_later


def converge(  # noqa: PLR0913 - the shared loop's three hooks (look, plan, write), its policy and two options
    look,
    plan,
    write,
    retry,
    check_mode=False,
    unrepeatable=(CREATE,),
):
    """Look up with ``look()``, plan with ``plan(state)`` and (unless ``check_mode``) write with
    ``write(action, state)`` until nothing is left to do; return the :class:`Convergence`.

    The write's faults are handled by :func:`send_until_settled`; one that cannot be settled is raised.
    ``unrepeatable`` names the planned actions that make a new resource and so are never sent twice after an
    answer that leaves their outcome unknown (by default a create; a resource whose "create" is an upsert by key
    passes none).
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

    send_until_settled(
        [(outcome.action, state)],
        send,
        look,
        replan,
        retry,
        on_sent,
        on_found,
        on_failed,
        unrepeatable=lambda sent: sent[0] in unrepeatable,
    )
    return outcome
