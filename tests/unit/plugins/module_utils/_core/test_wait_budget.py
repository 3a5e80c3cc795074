# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The budgets of failed waits (``connect_timeout``, ``answer_timeout``): their arithmetic on a fake clock, the
client's attempts within them (a fake session whose failures take fake time), and the looks of the convergence
loop after a write whose answer was lost. No sockets and no sleeping here: see test_client_hostile.py for those."""

from __future__ import annotations

import math

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.volcengine.live.plugins.module_utils._core.converge import CreateOutcomeUnknown, converge
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, NO_CHANGE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._core.retry import (
    ANSWER,
    CONNECT,
    RetryPolicy,
    WaitBudget,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.transport import LiveClient
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import FakeResponse, envelope_text


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_a_budget_counts_the_spans_charged_and_overlaps_once():
    budget = WaitBudget(90, clock=lambda: 0.0)
    budget.charge(0, 30)
    assert budget.spent == 30 and budget.left() == 60
    budget.charge(10, 40)  # another thread waited at the same time: only its last 10 s are new
    assert budget.spent == 40
    budget.charge(20, 35)  # wholly inside what is counted
    assert budget.spent == 40
    budget.charge(50, 100)
    assert budget.left() == 0 and budget.exhausted()


def test_a_span_charged_after_a_later_one_that_it_covers_counts_whole():
    """Threads end their spans out of order: one that began first and ended last covers the others."""
    budget = WaitBudget(90, clock=lambda: 0.0)
    budget.charge(3, 4)  # a refused connect of another thread, over at once
    budget.charge(0, 5)  # the attempt that waited from 0 to 5
    assert budget.spent == 5
    budget.charge(7, 8)
    budget.charge(6, 9)
    budget.charge(1, 2)
    assert budget.spent == 8


def union_length(spans):
    """The length of the union of ``spans``, the long way."""
    total, reach = 0.0, -math.inf
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 30)), max_size=25))
def test_what_is_spent_is_the_length_of_the_union_in_any_order(spans):
    spans = [(float(start), float(start + length)) for start, length in spans]
    budget = WaitBudget(None, clock=lambda: 0.0)
    for start, end in spans:
        budget.charge(start, end)
    assert budget.spent == pytest.approx(union_length(spans))


def test_no_limit_is_never_spent():
    budget = WaitBudget(None)
    budget.charge(0, 1e6)
    assert not budget.exhausted() and not budget.limited


def test_a_wait_after_a_failure_takes_at_most_half_of_what_is_left_and_is_charged():
    clock = Clock()
    policy = RetryPolicy(retries=8, rand=lambda: 1.0, sleep=clock.sleep, clock=clock, connect_timeout=3)
    policy.wait(3, kind=CONNECT)  # the backoff wants 2 s; 1.5 are left after it
    assert policy.budgets[CONNECT].spent == 1.5 and policy.budgets[ANSWER].spent == 0
    policy.wait(5, kind=CONNECT)  # wants 8 s: takes half of the 1.5 left
    assert policy.budgets[CONNECT].spent == 2.25
    policy.wait(5)  # a wait after an answered error (or throttling) is charged nowhere
    assert policy.budgets[CONNECT].spent == 2.25


def test_an_attempt_waits_at_most_what_is_left():
    policy = RetryPolicy(connect_timeout=15, answer_timeout=90, clock=lambda: 0.0)
    assert policy.attempt_waits(30) == (15, 30)
    policy.charge(ANSWER, 0, 75)
    policy.charge(CONNECT, 0, 14)
    assert policy.attempt_waits(30) == (1, 15)


class TimedSession:
    """A fake requests session whose every request fails with ``error`` after ``takes`` fake seconds."""

    def __init__(self, clock, error, takes):
        self.clock, self.error, self.takes = clock, error, takes
        self.calls = []

    def _send(self, url, **kwargs):
        self.calls.append(kwargs['timeout'])
        self.clock.now += min(
            self.takes, kwargs['timeout'][0 if self.error is requests.exceptions.ConnectTimeout else 1]
        )
        raise self.error('failed')

    post = get = _send


def budget_client(session, clock, retries=8, **budgets):
    policy = RetryPolicy(retries=retries, rand=lambda: 1.0, sleep=clock.sleep, clock=clock, timeout=30, **budgets)
    return LiveClient('AK', 'SK', endpoint='https://live.example.com', session=session, timeout=30, retry=policy)


def test_a_read_that_is_never_answered_fails_when_the_answer_budget_is_spent_with_retries_left():
    clock = Clock()
    session = TimedSession(clock, requests.exceptions.ReadTimeout, takes=1e9)
    started = clock.now
    with pytest.raises(LiveApiError) as caught:
        budget_client(session, clock, answer_timeout=90, connect_timeout=15).call('ListX', {})
    assert clock.now - started <= 90
    assert len(session.calls) == 3  # of the 9 attempts the retries allow
    assert [read for _connect, read in session.calls][:2] == [30, 30] and session.calls[2][1] < 30
    text = str(caught.value)
    assert 'no answer from live.example.com' in text
    assert 'answer_timeout ran out' in text and 'Waited 90 s in all for answers from live.example.com' in text
    assert 'VOLCENGINE_ANSWER_TIMEOUT' in text and 'timeout: 30 s for each request' in text


def test_an_endpoint_that_cannot_be_reached_fails_within_the_connect_budget():
    clock = Clock()
    session = TimedSession(clock, requests.exceptions.ConnectTimeout, takes=1e9)
    with pytest.raises(LiveApiError) as caught:
        budget_client(session, clock, answer_timeout=90, connect_timeout=15).call('ListX', {})
    assert clock.now - 1000.0 <= 15 and len(session.calls) == 1 and session.calls[0] == (15, 30)
    assert 'connect_timeout ran out. Spent 15 s in all failing to reach live.example.com' in str(caught.value)


def test_a_call_made_when_a_budget_is_spent_sends_nothing():
    clock = Clock()
    client = budget_client(TimedSession(clock, requests.exceptions.ConnectTimeout, takes=1e9), clock, connect_timeout=2)
    with pytest.raises(LiveApiError):
        client.call('ListX', {})
    session = client._session
    sent = len(session.calls)
    with pytest.raises(LiveApiError) as caught:
        client.call('ListX', {})
    assert len(session.calls) == sent and 'not sent' in str(caught.value) and not caught.value.outcome_unknown


def test_a_look_of_a_wait_ends_by_the_wait_s_deadline_and_says_wait_timeout_was_the_limit():
    """A wait's look (RetryPolicy.within) never sends past its deadline: each attempt waits at most what is left of
    it, none follows it, and the failure names wait_timeout, not the connect_timeout the user set higher."""
    clock = Clock()
    session = TimedSession(clock, requests.exceptions.ConnectTimeout, takes=1e9)
    client = budget_client(session, clock, answer_timeout=90, connect_timeout=15)
    client.retry = client.retry.within(4)
    with pytest.raises(LiveApiError) as caught:
        client.call('ListX', {})
    assert clock.now - 1000.0 <= 4 and session.calls[0] == (4, 4)
    assert 'wait_timeout ran out' in str(caught.value) and 'what was left of wait_timeout: 4 s' in str(caught.value)
    sent = len(session.calls)
    with pytest.raises(LiveApiError) as caught:  # past the deadline: nothing is sent, a fault that passes
        client.call('ListY', {})
    assert len(session.calls) == sent and caught.value.transient and 'wait_timeout' in str(caught.value)


def test_throttling_draws_on_no_budget():
    clock = Clock()
    throttled = FakeResponse(429, envelope_text(error={'Code': 'FlowLimitExceeded', 'Message': 'slow down'}))
    ok = FakeResponse(200, envelope_text(result={'List': []}))

    class Session:
        answers = [throttled] * 5 + [ok]

        def post(self, url, **kwargs):
            return self.answers.pop(0)

    client = budget_client(Session(), clock, connect_timeout=0.001, answer_timeout=0.001)
    assert client.call('ListX', {})[0] == {'List': []}


# The convergence loop: a write whose answer was lost is looked for only while the answer budget lasts.


class Service:
    def __init__(self, clock, commits_after_looks=None):
        self.clock = clock
        self.value = None
        self.sent = []
        self.looks = 0
        self.commits_after_looks = commits_after_looks

    def look(self):
        self.looks += 1
        if self.commits_after_looks is not None and self.looks > self.commits_after_looks:
            self.value = 'v1'
        return self.value

    def write(self, action, _planned_from):
        self.sent.append(action)
        self.clock.now += 30  # the request waited its whole timeout for an answer
        error = LiveApiError('CreateX', 'Timeout', 'no answer from live.example.com within 30s', outcome_unknown=True)
        error.wait_kind, error.endpoint = ANSWER, 'live.example.com'
        self.policy.charge(ANSWER, self.clock.now - 30, self.clock.now)
        raise error


def plan(value):
    return NO_CHANGE if value == 'v1' else (CREATE if value is None else UPDATE)


def converge_policy(clock, answer_timeout):
    return RetryPolicy(
        retries=8,
        unanswered_write_wait=30,
        rand=lambda: 0.0,
        sleep=clock.sleep,
        clock=clock,
        answer_timeout=answer_timeout,
        timeout=30,
    )


def test_the_looks_after_an_unanswered_create_keep_within_the_answer_budget_and_never_create_again():
    clock = Clock()
    service = Service(clock)
    service.policy = policy = converge_policy(clock, 90)
    with pytest.raises(CreateOutcomeUnknown) as caught:
        converge(service.look, plan, service.write, policy)
    assert service.sent == [CREATE]  # never a second create
    assert service.looks == 1 + 2 and clock.now - 1000.0 <= 90
    # 30 s without an answer, a wait of 30 s, a look, a wait of 15 s (half of what is left), a look
    assert clock.now - 1000.0 == 75
    assert 'Waited 75 s in all for answers from live.example.com' in str(caught.value)


def test_with_nothing_left_an_unanswered_create_is_not_looked_for_and_fails_as_when_retries_run_out():
    clock = Clock()
    service = Service(clock)
    service.policy = policy = converge_policy(clock, 30)  # the create's own wait spends it all
    with pytest.raises(LiveApiError) as caught:
        converge(service.look, plan, service.write, policy)
    assert service.sent == [CREATE] and service.looks == 1 and clock.now - 1000.0 == 30
    error = caught.value
    assert error.after_write and error.outcome_unknown and isinstance(error, CreateOutcomeUnknown)
    assert error.looks == 0 and 'answer_timeout ran out' in str(error) and 'it was not sent again' in str(error)


def test_a_create_whose_answer_was_lost_is_found_by_a_look_within_the_budget():
    clock = Clock()
    service = Service(clock, commits_after_looks=1)
    service.policy = policy = converge_policy(clock, 90)
    outcome = converge(service.look, plan, service.write, policy)
    assert outcome.answer_lost and service.sent == [CREATE] and service.looks == 2
