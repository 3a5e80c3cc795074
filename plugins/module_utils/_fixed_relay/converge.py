# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Bring one relay source to its desired state through a LiveClient, never duplicating a write.

A write whose outcome is open (no answer, a dropped connection, a server
error) is never sent again blindly: the stream is looked up again and the
plan is made anew, so a create that was in fact carried out is found instead
of being made twice. A CreateRelaySourceV4 that got no answer saying whether it
was carried out is never sent again at all: when the looks after it do not find
the stream, the task fails (``_core.converge.CreateOutcomeUnknown``) and a rerun
converges.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.converge import converge
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, DELETE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import moment_text
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import (
    create_relay_source,
    delete_relay_source,
    from_api_item,
    iter_relay_sources,
    to_api_body,
    update_relay_source,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.plan import (
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


def window_kept_message(current, request_id=None):
    """What to say when an update that should have made ``current``'s relay permanent left its window."""
    accepted = 'UpdateRelaySourceV4 was accepted%s' % (' (RequestId: %s)' % request_id if request_id else '')
    return (
        '%s, but the service kept the time window from %s to %s of %s/%s: it does not clear a window on an update '
        'without StartTime/EndTime. To make the relay permanent, delete it (state: absent) and create it again.'
        % (
            accepted,
            moment_text(current['start_time']),
            moment_text(current['end_time']),
            current['app'],
            current['stream'],
        )
    )


class UpdateKeptTimeWindow(Exception):
    """An update without StartTime/EndTime was accepted, but the service kept the stream's time window.

    No page says what such an update does to a window. Rather than report a permanent relay that is not, the
    module looks again after it and fails with this when the window is still there.
    """

    def __init__(self, current, request_id):
        self.current = current
        self.request_id = request_id
        super().__init__(window_kept_message(current, request_id))


def converge_relay_source(  # noqa: PLR0913 - the stream and its state, the retry policy, and the shared loop's options
    client,
    desired,
    state,
    retry,
    check_mode=False,
    now=None,
    offset=None,
):
    """Look up, plan and (unless ``check_mode``) write until the stream is as desired; return the
    :class:`_core.converge.Convergence`, whose ``answer`` is the write's ``(task_id, request_id)``.

    ``now`` (Unix seconds) judges whether the desired window is over: a ``_core.rules.ValidationError`` naming
    ``end_time`` is raised before any write when it is and the stream is not found with exactly that window
    (``offset``: the one the play wrote ``end_time`` in, for the message).

    The shared loop (``_core.converge.converge``) owns the fault handling: a write whose outcome is open is followed
    by a fresh lookup, never by a blind second write. An update that removes a time window is checked by one
    more lookup, and :class:`UpdateKeptTimeWindow` is raised when the window stayed.
    """
    key = (desired['domain'], desired['app'], desired['stream'])
    outcome = converge(
        lambda: find_relay_source(client, *key),
        lambda current: planned_action(current, desired, state, now, offset),
        lambda action, _current: send_planned_write(client, action, desired),
        retry,
        check_mode=check_mode,
    )
    if outcome.written_action == UPDATE and clears_window(outcome.written, desired):
        try:
            after = find_relay_source(client, *key)
        except LiveApiError as error:
            error.after_write = True
            raise
        if after is not None and after['start_time'] is not None:
            raise UpdateKeptTimeWindow(after, outcome.answer[1] if outcome.answer else None)
    return outcome
