# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The shared convergence loop (``_converge``): write faults, and a create whose outcome is unknown.

A fake service holds one resource by key; a create may "commit late": it answers as a read timeout does (no
answer) and appears only after a given number of looks. No HTTP, no sleeping: the policy's waits are recorded.
"""

from __future__ import annotations

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._core.converge import (
    LOOKS_FOR_UNANSWERED_CREATE,
    CreateOutcomeUnknown,
    converge,
    outcome_unknown_message,
    send_until_settled,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, NO_CHANGE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._core.retry import RetryPolicy


def no_answer(action='CreateX'):
    return LiveApiError(action, 'Timeout', 'no answer from the endpoint within 5s', outcome_unknown=True)


def gateway_timeout(action='CreateX'):
    return LiveApiError(action, 'InternalServiceTimeout', 'timed out', status=504, outcome_unknown=True)


def server_error(action='CreateX'):
    return LiveApiError(action, 'InternalError', 'an internal error occurred', status=500)


class Service:
    """One resource (its value, or None). ``faults`` answer the next writes: ``(error, commits_after_looks)``,
    where None commits at once, 0 never, and N after the Nth look."""

    def __init__(self, value=None):
        self.value = value
        self.faults = []
        self.sent = []
        self.looks = 0
        self.due = []  # [(look number, value)] commits made late

    def look(self):
        self.looks += 1
        for when, value in [d for d in self.due if d[0] <= self.looks]:
            self.value = value
            self.due.remove((when, value))
        return self.value

    def write(self, action, _planned_from, wanted='v1'):
        self.sent.append(action)
        if self.faults:
            error, commits_after = self.faults.pop(0)
            if commits_after is None:
                self.value = wanted
            elif commits_after:
                self.due.append((self.looks + commits_after, wanted))
            raise error
        self.value = wanted
        return 'rid-%d' % len(self.sent)


def plan_for(wanted='v1'):
    return lambda value: NO_CHANGE if value == wanted else (CREATE if value is None else UPDATE)


def policy(retries=8, waits=None):
    sleep = waits.append if waits is not None else (lambda _seconds: None)
    return RetryPolicy(retries=retries, unanswered_write_wait=30, rand=lambda: 0.0, sleep=sleep)


def test_a_create_committed_after_the_first_look_is_found_by_the_second():
    service = Service()
    service.faults = [(no_answer(), 2)]
    waits = []
    outcome = converge(service.look, plan_for(), service.write, policy(waits=waits))
    assert service.sent == [CREATE] and outcome.answer_lost and service.value == 'v1'
    assert waits == [30, 30]  # each look at least unanswered_write_wait after the one before


@pytest.mark.parametrize('error', [no_answer(), gateway_timeout()])
def test_a_create_committed_after_every_look_is_never_sent_again_and_fails_honestly(error):
    service = Service()
    service.faults = [(error, LOOKS_FOR_UNANSWERED_CREATE + 1)]  # the service commits after the looks
    waits = []
    with pytest.raises(CreateOutcomeUnknown) as info:
        converge(service.look, plan_for(), service.write, policy(waits=waits))
    assert service.sent == [CREATE]  # one create, however long the service takes
    assert service.looks == 1 + LOOKS_FOR_UNANSWERED_CREATE and waits == [30] * LOOKS_FOR_UNANSWERED_CREATE
    failure = info.value
    assert failure.after_write is True and failure.outcome_unknown is True
    assert failure.attempts == 1 and failure.code == error.code and failure.status == error.status
    text = str(failure)
    assert text.startswith('CreateX failed: %s' % error.code)
    assert 'got no answer that says whether it was carried out' in text
    assert 'not found when looked up again 2 times' in text and 'not sent again' in text
    assert 'Rerun the task' in text
    # the rerun, once the service has committed: it looks first, finds it and sends nothing
    service.look()
    rerun = converge(service.look, plan_for(), service.write, policy())
    assert rerun.action == NO_CHANGE and service.sent == [CREATE]


@pytest.mark.parametrize('retries, looks', [(1, 1), (2, 2), (8, LOOKS_FOR_UNANSWERED_CREATE)])
def test_the_looks_for_an_unanswered_create_count_against_the_retries(retries, looks):
    service = Service()
    service.faults = [(no_answer(), 0)]
    with pytest.raises(CreateOutcomeUnknown) as info:
        converge(service.look, plan_for(), service.write, policy(retries=retries))
    assert service.sent == [CREATE] and service.looks == 1 + looks and info.value.looks == looks


def test_without_retries_an_unanswered_create_fails_at_once_as_changed_and_says_it_was_not_sent_again():
    service = Service()
    service.faults = [(no_answer(), 0)]
    with pytest.raises(LiveApiError) as info:
        converge(service.look, plan_for(), service.write, policy(retries=0))
    assert isinstance(info.value, CreateOutcomeUnknown) and info.value.looks == 0
    assert info.value.after_write is True and service.sent == [CREATE] and service.looks == 1
    text = str(info.value)
    assert 'no retry or time was left to look it up again' in text and 'it was not sent again' in text
    assert 'Rerun the task' in text


def test_an_unanswered_create_found_otherwise_is_updated_by_key():
    service = Service()
    service.faults = [(no_answer(), 1)]

    def write(action, planned_from):
        wanted = 'v0' if action == CREATE else 'v1'  # the create "commits" other than wanted
        return service.write(action, planned_from, wanted)

    outcome = converge(service.look, plan_for(), write, policy())
    assert service.sent == [CREATE, UPDATE] and outcome.written_action == UPDATE and service.value == 'v1'


def test_a_create_with_a_definite_server_error_is_planned_anew_and_sent_again():
    service = Service()
    service.faults = [(server_error(), 0)]
    outcome = converge(service.look, plan_for(), service.write, policy())
    assert service.sent == [CREATE, CREATE] and outcome.answer == 'rid-2' and not outcome.answer_lost


@pytest.mark.parametrize('error', [no_answer('UpdateX'), server_error('UpdateX')])
def test_an_update_whose_outcome_is_open_is_planned_anew_and_may_be_sent_again(error):
    service = Service('v0')
    service.faults = [(error, 0)]
    converge(service.look, plan_for(), service.write, policy())
    assert service.sent == [UPDATE, UPDATE] and service.value == 'v1'


def test_a_resource_whose_create_is_an_upsert_may_send_it_again():
    service = Service()
    service.faults = [(no_answer(), 0)]
    converge(service.look, plan_for(), service.write, policy(), unrepeatable=())
    assert service.sent == [CREATE, CREATE]


def test_a_look_that_fails_after_an_unanswered_create_fails_it_as_changed():
    service = Service()
    service.faults = [(no_answer(), 0)]
    looks = iter([None])
    broken = LiveApiError('ListX', 'InternalError', 'down', status=500)

    def look():
        try:
            return next(looks)
        except StopIteration:
            raise broken from None

    with pytest.raises(LiveApiError) as info:
        converge(look, plan_for(), service.write, policy())
    assert info.value is broken and broken.after_write is True and service.sent == [CREATE]


def test_in_rounds_the_other_writes_go_ahead_while_an_unanswered_create_is_looked_for():
    # two streams: "a" is created without an answer and commits late, "b" is updated after a server error
    state = {'a': None, 'b': 'old'}
    sent, found, failed, done = [], [], [], []
    rounds = iter(
        [
            [(None, no_answer()), (None, server_error('UpdateX'))],  # round 1: both open
            [('rid-b', None)],  # round 2: the update of "b" again
        ]
    )

    def send(pending):
        sent.append([write[1] for write in pending])
        return next(rounds)

    def replan(now, write):
        action, key = write
        if action == CREATE:
            return None if now[key] is not None else (CREATE, key)
        return (UPDATE, key) if now[key] != 'new' else None

    send_until_settled(
        [(CREATE, 'a'), (UPDATE, 'b')],
        send,
        lambda: dict(state),
        replan,
        policy(),
        lambda write, answer: done.append((write, answer)),
        found.append,
        lambda write, error: failed.append((write, error)),
        unrepeatable=lambda write: write[0] == CREATE,
    )
    assert sent == [['a', 'b'], ['b']]  # "a" is never sent again
    assert done == [((UPDATE, 'b'), 'rid-b')] and found == []
    assert len(failed) == 1 and failed[0][0] == (CREATE, 'a') and isinstance(failed[0][1], CreateOutcomeUnknown)


def test_the_message_says_what_happened_and_what_to_do():
    text = outcome_unknown_message('CreateX failed: Timeout: no answer', 'CreateX', 1, 61.4)
    assert text == (
        'CreateX failed: Timeout: no answer. CreateX got no answer that says whether it was carried out, and it '
        'was not found when looked up again once, the last look 61 s after the request gave up. The service may '
        'still carry it out, so it was not sent again (a second create could make a duplicate). Rerun the task: '
        'it looks first, and creates only what it does not find.'
    )
