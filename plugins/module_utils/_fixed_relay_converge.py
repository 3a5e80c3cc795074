# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Bring one relay source to its desired state through a LiveClient, never duplicating a write.

A write whose outcome is open (no answer, a dropped connection, a server
error) is never sent again blindly: the stream is looked up again and the
plan is made anew, so a create that was in fact carried out is found instead
of being made twice.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_api import (
    create_relay_source,
    delete_relay_source,
    from_api_item,
    iter_relay_sources,
    to_api_body,
    update_relay_source,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_plan import (
    CREATE,
    DELETE,
    NO_CHANGE,
    UPDATE,
    clears_window,
    planned_action,
    same_stream,
)


def find_relay_source(client, domain, app, stream):
    """The normalised configuration of ``domain/app/stream``, or None.

    Pages through the domain with the largest page size and stops at the page that holds it. A stream is
    identified by app and stream within the listed domain, however the items spell their Domain.
    """
    for item in iter_relay_sources(client, domain):
        normalised = from_api_item(item, domain)
        if same_stream(normalised, app, stream):
            return normalised
    return None


def send_planned_write(client, action, desired):
    """Carry out one planned write; return ``(task_id, request_id)``."""
    if action == CREATE:
        return create_relay_source(client, to_api_body(desired))
    if action == UPDATE:
        return None, update_relay_source(client, to_api_body(desired))
    if action == DELETE:
        return None, delete_relay_source(client, desired['domain'], desired['app'], desired['stream'])
    return None, None


class UpdateKeptTimeWindow(Exception):
    """An update without StartTime/EndTime was accepted, but the service kept the stream's time window.

    No page says what such an update does to a window. Rather than report a permanent relay that is not, the
    module looks again after it and fails with this when the window is still there.
    """

    def __init__(self, current, request_id):
        self.current = current
        self.request_id = request_id
        super().__init__(
            'UpdateRelaySourceV4 was accepted (RequestId: %s), but the service kept the time window %d..%d of '
            '%s/%s: it does not clear a window on an update without StartTime/EndTime. To make the relay '
            'permanent, delete it (state: absent) and create it again.'
            % (request_id, current['start_time'], current['end_time'], current['app'], current['stream'])
        )


class StreamConvergence:
    """What a convergence found and did."""

    def __init__(self, current, action):
        self.current = current  # the configuration found first (None when absent)
        self.action = action  # what that first look called for
        self.task_id = None
        self.request_id = None
        self.answer_lost = False  # a write was carried out but its answer never arrived

    @property
    def changed(self):
        return self.action != NO_CHANGE


def converge(client, desired, state, retry, check_mode=False):
    """Look up, plan and (unless ``check_mode``) write until the stream is as desired.

    A write that fails transiently is followed by a fresh lookup, as many more
    rounds as the :class:`~._client.RetryPolicy` ``retry`` allows; the last
    error is raised when they run out. After a write that got no answer at all,
    the next lookup waits at least ``retry.unanswered_write_wait``. An update that removes a
    time window is checked by one more lookup, and :class:`UpdateKeptTimeWindow` is raised
    when the window stayed.
    """
    key = (desired['domain'], desired['app'], desired['stream'])
    outcome = None
    attempt = 0
    while True:
        current = find_relay_source(client, *key)
        action = planned_action(current, desired, state)
        if outcome is None:
            outcome = StreamConvergence(current, action)
        elif action == NO_CHANGE:
            outcome.answer_lost = True  # the write we sent before was carried out after all
        if action == NO_CHANGE or check_mode:
            return outcome
        attempt += 1
        try:
            outcome.task_id, outcome.request_id = send_planned_write(client, action, desired)
        except LiveApiError as error:
            if not retry.may_look_again(error, attempt):
                raise error.after_attempts(max(error.attempts, attempt)) from None
            # After no answer the service may still be carrying the write out. The API has no idempotency
            # token, so the policy waits at least its settle time (one request timeout) before looking again,
            # or a late commit would be taken for a missing one and made twice.
            retry.wait(attempt, outcome_unknown=error.outcome_unknown)
            continue
        if action == UPDATE and clears_window(current, desired):
            after = find_relay_source(client, *key)
            if after is not None and after['start_time'] is not None:
                raise UpdateKeptTimeWindow(after, outcome.request_id)
        return outcome
