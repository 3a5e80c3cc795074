# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""When to ask again and how long to wait first: the retry policy and the budgets of failed waits
(``connect_timeout``, ``answer_timeout``). Pure given its clock, random source and sleep.
"""

from __future__ import annotations

import math
import random
import threading
import time

# The whole time a task may spend failing to reach the endpoint (a refused connection, a name that does not resolve,
# no TCP connection), and on requests that got no answer, across its retries and the looks after a lost answer.
DEFAULT_CONNECT_TIMEOUT = 15.0


DEFAULT_ANSWER_TIMEOUT = 90.0


# The two kinds of failed wait, each with its own budget (WaitBudget) and option.
CONNECT = 'connect'


ANSWER = 'answer'


_BUDGET_OPTIONS = {
    CONNECT: ('connect_timeout', 'VOLCENGINE_CONNECT_TIMEOUT'),
    ANSWER: ('answer_timeout', 'VOLCENGINE_ANSWER_TIMEOUT'),
}


# Less than this left of a budget is nothing left.
_NOTHING_LEFT = 0.001


# The least time an attempt is sent with before a deadline (RetryPolicy.within).
LEAST_ATTEMPT = 1.0


DEFAULT_RETRIES = 8


DEFAULT_RETRY_MAX_DELAY = 20.0


RETRY_BASE_DELAY = 0.5


def seconds_text(seconds):
    """``seconds`` as messages show them: a tenth of a second at most. Pure."""
    value = round(float(seconds), 1)
    return ('%d' % value) if value == int(value) else ('%s' % value)


def union_with(spans, start, end):
    """``(spans, added)``: the disjoint, ordered ``(start, end)`` pairs ``spans`` with the span from ``start`` to
    ``end`` merged in, and how much longer their union became. Pure."""
    merged, added = [], end - start
    low_all, high_all = start, end
    for low, high in spans:
        if high < start or low > end:
            merged.append((low, high))
        else:  # overlaps or touches the new span: what it covers of it was counted already
            added -= max(min(high, end) - max(low, start), 0.0)
            low_all, high_all = min(low, low_all), max(high, high_all)
    merged.append((low_all, high_all))
    merged.sort()
    return merged, added


class WaitBudget:
    """How long a task may spend on one kind of failed wait, across its retries, its requests and its threads.

    Spans of time are charged when they are over (``charge(start, end)``, in ``clock()`` seconds), in whatever order
    the threads end them; what is spent is the length of their union, so the writers of parallel threads that wait
    at once for the same dead endpoint spend that time once. A span still running in another thread is not counted
    until it is over: a thread may start an attempt with more left than the budget will have when both are over, by
    at most that one attempt's wait. ``seconds`` None is no limit. Pure given ``clock``; safe to share between
    threads.
    """

    def __init__(self, seconds=None, clock=time.monotonic):
        self.seconds = math.inf if seconds is None else float(seconds)
        self.clock = clock
        self.spent = 0.0
        self._spans = []  # the union of the spans charged: disjoint [start, end] pairs, in order
        self._lock = threading.Lock()

    @property
    def limited(self):
        return self.seconds != math.inf

    def charge(self, start, end):
        """Count the span from ``start`` to ``end``, less what of it is counted already."""
        if not end > start:
            return
        with self._lock:
            self._spans, added = union_with(self._spans, start, end)
            self.spent += added

    def left(self):
        return max(self.seconds - self.spent, 0.0)

    def exhausted(self):
        return self.left() < _NOTHING_LEFT


class RetryPolicy:
    """When to ask again, and how long to wait first: full-jitter exponential backoff, within two budgets.

    One policy is handed to the client (which retries what certainly did not happen) and to the convergence
    loop (which looks the state up again after a write whose outcome is open), and to every client of a task's
    threads: every decision to ask again is made here. ``unanswered_write_wait`` is the least wait after a write
    that got no answer at all: the service may still be carrying it out.

    ``connect_timeout`` bounds the whole time the task spends failing to reach the endpoint (the attempts that did
    not connect and the waits after them), ``answer_timeout`` the whole time it spends on requests that got no answer
    (the attempts, the waits after them, and the wait before a look after a write whose answer was lost); None is no
    limit. Each attempt waits to connect and for its answer at most what is left (:meth:`attempt_waits`), a wait
    charged to a budget takes at most half of what is left (the attempt after it keeps at least as much), and nothing
    is asked again once a budget the last failure draws on is spent. Throttling and answered errors draw on neither.
    """

    def __init__(  # noqa: PLR0913 - the policy's options and budgets; clock, random source and sleep injected for tests
        self,
        retries=DEFAULT_RETRIES,
        max_delay=DEFAULT_RETRY_MAX_DELAY,
        unanswered_write_wait=0.0,
        rand=None,
        sleep=None,
        connect_timeout=None,
        answer_timeout=None,
        clock=None,
        timeout=None,
    ):
        self.retries = retries
        self.max_delay = max_delay
        self.unanswered_write_wait = unanswered_write_wait
        self.rand = rand or random.random
        self.sleep = sleep or time.sleep
        self.clock = clock or time.monotonic
        self.budgets = {
            CONNECT: WaitBudget(connect_timeout, self.clock),
            ANSWER: WaitBudget(answer_timeout, self.clock),
        }
        self.timeout = timeout  # each request's own wait, for messages
        self.deadline = math.inf  # in clock() seconds: see within()
        self.wait_cut = {}  # the budgets within() cut to what was left of a wait

    def within(self, seconds):
        """A policy as this one, with fresh budgets of at most ``seconds`` each and a deadline ``seconds`` from now:
        no attempt is followed by another, and no wait before one lasts, past it. A wait's looks get one each, so
        that a look ends by the wait's deadline (give or take the one request under way at it)."""
        bounded = RetryPolicy(
            retries=self.retries,
            max_delay=self.max_delay,
            unanswered_write_wait=self.unanswered_write_wait,
            rand=self.rand,
            sleep=self.sleep,
            connect_timeout=min(self.budgets[CONNECT].seconds, seconds),
            answer_timeout=min(self.budgets[ANSWER].seconds, seconds),
            clock=self.clock,
            timeout=self.timeout,
        )
        bounded.deadline = self.clock() + seconds
        bounded.wait_cut = {kind: seconds < budget.seconds for kind, budget in self.budgets.items()}
        return bounded

    def past_deadline(self):
        """Whether the deadline of a policy made by :meth:`within` has (all but) passed: no request is sent with less
        than :data:`LEAST_ATTEMPT` seconds left (it would only time out)."""
        return self.clock() >= self.deadline - LEAST_ATTEMPT

    def allows(self, attempt):
        """Whether attempt number ``attempt`` (1, 2, ...) may be followed by another (none past the deadline)."""
        return attempt <= self.retries and not self.past_deadline()

    def room(self, error):
        """Whether the budget that ``error`` drew on, if any, has time left."""
        return error.wait_kind is None or not self.budgets[error.wait_kind].exhausted()

    def used_up(self):
        """The kind (CONNECT, ANSWER) of a budget with nothing left, or None."""
        for kind, budget in self.budgets.items():
            if budget.exhausted():
                return kind
        return None

    def attempt_waits(self, timeout):
        """``(connect, answer)``: how long the next attempt may wait to connect and for its answer (none past the
        deadline, when there is one)."""
        timeout = min(timeout, max(self.deadline - self.clock(), _NOTHING_LEFT))
        return min(timeout, self.budgets[CONNECT].left()), min(timeout, self.budgets[ANSWER].left())

    def charge(self, kind, start, end):
        """Count a failed wait of ``kind`` (CONNECT, ANSWER; None counts nowhere) from ``start`` to ``end``."""
        if kind is not None:
            self.budgets[kind].charge(start, end)

    def may_resend(self, error, attempt, write):
        """Whether the client may send the same request again after ``error`` on attempt ``attempt``.

        Reads are sent again on every transient error. A write is sent again only when it certainly was not
        carried out: it was throttled, or the connection failed before anything was sent. Any other transient
        failure of a write leaves its outcome open; the caller looks the state up again (:meth:`may_look_again`).
        Nothing is sent again once the budget ``error`` drew on is spent.
        """
        if not self.allows(attempt) or not error.transient or not self.room(error):
            return False
        if not write:
            return True
        return error.throttled or (error.code == 'ConnectionError' and not error.outcome_unknown)

    def may_look_again(self, error, attempt):
        """Whether a convergence may look the state up again, and plan anew, after a write failed with ``error``."""
        return error.transient and self.allows(attempt) and self.room(error)

    def may_look_for_create(self, attempt):
        """Whether a create whose answer was lost may be looked for once more, on attempt ``attempt``."""
        return self.allows(attempt) and not self.budgets[ANSWER].exhausted()

    def delay(self, attempt, paced=False):
        """The wait before retry number ``attempt`` (1, 2, ...). Pure given ``rand()``.

        ``paced``: the request was throttled and the client's pacer spaces the resend, which that answer has
        pushed out (and slowed down, unless it did so within the last second). The first retry then waits for the
        pacer's next slot only: a backoff on top of it would leave the slot, and the account's share of the limit,
        unused. Later retries back off as any other, so the retry budget is what it was.
        """
        if paced and attempt == 1:
            return 0.0
        return self.rand() * min(self.max_delay, RETRY_BASE_DELAY * 2 ** (attempt - 1))

    def wait(self, attempt, outcome_unknown=False, paced=False, kind=None):
        """Sleep before retry number ``attempt``: at least ``unanswered_write_wait`` after a write that got no
        answer at all; see :meth:`delay` for ``paced``. A wait after a failure of ``kind`` (CONNECT, ANSWER)
        counts against that budget and takes at most half of what is left of it."""
        delay = self.delay(attempt, paced=paced)
        if outcome_unknown:
            delay = max(delay, self.unanswered_write_wait)
        if kind is not None:
            delay = min(delay, self.budgets[kind].left() / 2)
        start = self.clock()
        delay = max(min(delay, self.deadline - LEAST_ATTEMPT - start), 0.0)  # the attempt after it keeps its least
        self.sleep(delay)
        self.charge(kind, start, self.clock())

    def explain(self, error):
        """``error``, saying what its task spent on failures of its kind and which option limits that time."""
        kind = error.wait_kind
        budget = self.budgets.get(kind)
        if budget is None or not budget.limited:
            return error
        option, variable = _BUDGET_OPTIONS[kind]
        where = error.endpoint or 'the endpoint'
        spent = seconds_text(min(budget.spent, budget.seconds))
        if kind == CONNECT:
            what = 'Spent %s s in all failing to reach %s' % (spent, where)
        else:
            what = 'Waited %s s in all for answers from %s that did not come' % (spent, where)
        limit = '%s: at most %s s, or the environment variable %s' % (option, seconds_text(budget.seconds), variable)
        if self.wait_cut.get(kind):  # a look of a wait: what was left of wait_timeout was the limit
            option, limit = 'wait_timeout', 'what was left of wait_timeout: %s s' % seconds_text(budget.seconds)
        if kind == ANSWER and self.timeout is not None:
            limit += '; timeout: %s s for each request' % seconds_text(self.timeout)
        ran_out = '%s ran out. ' % option if budget.exhausted() else ''
        error.waited = '%s%s (%s)' % (ran_out, what, limit)
        return error
