# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bring one relay source to its desired state through a LiveClient, never duplicating a write.

A write whose outcome is open (no answer, a dropped connection, a server
error) is never sent again blindly: the stream is looked up again and the
plan is made anew, so a create that was in fact carried out is found instead
of being made twice.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils.client import LiveApiError, backoff_delay
from ansible_collections.volcengine.live.plugins.module_utils.state import (
    CREATE, DELETE, NOTHING, UPDATE, from_api_item, plan, same_stream,
)
from ansible_collections.volcengine.live.plugins.module_utils.validation import to_api_body


def find_relay_source(client, domain, app, stream):
    """The normalised configuration of ``domain/app/stream``, or None.

    Pages through the domain with the largest page size and stops at the page that holds it.
    """
    for item in client.iter_relay_sources(domain):
        normalised = from_api_item(item)
        if same_stream(normalised, domain, app, stream):
            return normalised
    return None


def apply(client, action, desired):
    """Carry out one planned write; return ``(task_id, request_id)``."""
    if action == CREATE:
        return client.create_relay_source(to_api_body(desired))
    if action == UPDATE:
        return None, client.update_relay_source(to_api_body(desired))
    if action == DELETE:
        return None, client.delete_relay_source(desired['domain'], desired['app'], desired['stream'])
    return None, None


class Outcome:
    """What a convergence found and did."""

    def __init__(self, current, action):
        self.current = current          # the configuration found first (None when absent)
        self.action = action            # what that first look called for
        self.task_id = None
        self.request_id = None
        self.answer_lost = False        # a write was carried out but its answer never arrived

    @property
    def changed(self):
        return self.action != NOTHING


def converge(client, desired, state, check_mode=False):
    """Look up, plan and (unless ``check_mode``) write until the stream is as desired.

    A write that fails transiently is followed by a fresh lookup, up to
    ``client.retries`` more rounds; the last error is raised when they run out.
    After a write that got no answer at all, the next lookup waits at least
    one ``client.timeout``.
    """
    key = (desired['domain'], desired['app'], desired['stream'])
    outcome = None
    attempt = 0
    while True:
        current = find_relay_source(client, *key)
        action = plan(current, desired, state)
        if outcome is None:
            outcome = Outcome(current, action)
        elif action == NOTHING:
            outcome.answer_lost = True  # the write we sent before was carried out after all
        if action == NOTHING or check_mode:
            return outcome
        attempt += 1
        try:
            outcome.task_id, outcome.request_id = apply(client, action, desired)
            return outcome
        except LiveApiError as error:
            if not error.transient or attempt > client.retries:
                error.attempts = max(error.attempts, attempt)
                raise
            delay = backoff_delay(attempt, client.retry_max_delay, client.rand)
            if error.outcome_unknown:
                # No answer: the service may still be carrying the write out. The API has no idempotency
                # token, so give it one more timeout before looking again, or a late commit would be
                # taken for a missing one and made twice.
                delay = max(delay, client.timeout)
            client.sleep(delay)
