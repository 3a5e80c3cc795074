# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Waiting until what a task wrote is delivered: its relays online, its pull-to-push task running.

``wait_until`` is the loop, pure given its clock and sleep: it polls at once, then every :data:`POLL_INTERVAL`
seconds, and never sleeps past the deadline. What a poll reads is the caller's: a poller of a domain's relays reads
the listing of the domain's space (``lookup.relays_online``) until it has found them all, so a whole domain costs at
most one listing call per 1000 streams of its space a poll, never a call per stream.
"""

from __future__ import annotations

import time

from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.module import TaskFailed
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import ValidationError, moment_text
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.api import list_tasks
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.lookup import (
    online_streams,
    relays_online,
)
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.plan import key_of, window_open

POLL_INTERVAL = 2.0
DEFAULT_WAIT_TIMEOUT = 300
# The least time a look is given, the last one at the deadline included: a wait ends at most this much after it.
LAST_LOOK = 5.0
WAIT_TIMEOUT_MAX = 86400
# The two reasons a relay is not waited for, as its note says them.
OPENS, ENDED = 'opens at', 'ended at'
# How many names a message lists; the result lists them all.
MESSAGE_NAMES = 10


def validate_wait_timeout(params):
    """``wait_timeout``: whole seconds from 1 to a day. Pure."""
    value = params.get('wait_timeout')
    if value is None:
        return DEFAULT_WAIT_TIMEOUT
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= WAIT_TIMEOUT_MAX:
        raise ValidationError(
            'wait_timeout', 'must be whole seconds from 1 to %d (a day), got %r' % (WAIT_TIMEOUT_MAX, value)
        )
    return value


class Waited:
    """What a wait found: the names ``online`` and ``missing`` in the order wanted, the ``seconds`` it took, the
    number of ``polls``, and ``failure``: the error of the last look when it failed (it then saw what the look before
    it saw), else None."""

    def __init__(self, online, missing, seconds, polls, failure=None):  # noqa: PLR0913 - what a wait found
        self.online = online
        self.missing = missing
        self.seconds = seconds
        self.polls = polls
        self.failure = failure
        self.rivalled = []  # of the missing, those something else of the space may relay under their name (text)

    @property
    def done(self):
        return not self.missing


def wait_until(poll, wanted, timeout, clock=None, sleep=None, bound=None):  # noqa: PLR0913 - the wait and its clock
    """Poll until every key of ``wanted`` is among what ``poll()`` returns, or ``timeout`` seconds have passed;
    return a :class:`Waited`. The first poll is at once, then one every :data:`POLL_INTERVAL` seconds; none sleeps
    past the deadline, and ``bound(seconds)`` (when given) is told before each poll how long is left, for the poll's
    own retries to end by the deadline. A poll that fails on a fault that may pass (``LiveApiError.transient``)
    counts as one that saw what the last one saw; one that fails otherwise ends the wait at once. Either way the
    failure is the result's. Pure given clock and sleep (the module's ``time.monotonic`` and ``time.sleep`` by
    default, looked up when called)."""
    clock = clock or time.monotonic
    sleep = sleep or time.sleep
    start = clock()
    polls, found, failure = 0, set(), None
    while True:
        if bound is not None:
            bound(max(start + timeout - clock(), LAST_LOOK))
        try:
            found, failure = poll(), None
        except LiveApiError as error:  # a look cut short by the deadline keeps the failure before it, if any
            failure = (failure or error) if getattr(error, 'past_deadline', False) else error
        polls += 1
        missing = [key for key in wanted if key not in found]
        left = start + timeout - clock()
        if not missing or left <= 0 or (failure is not None and not failure.transient):
            return Waited([key for key in wanted if key in found], missing, clock() - start, polls, failure)
        sleep(min(POLL_INTERVAL, left))


class RelayPoller:
    """The relays of ``keys`` (those the task configured on ``domain``) that are online, as ``(app, stream)`` keys:
    one listing of the domain's space a poll, read only until every relay is found (DescribeDomain names the space
    at the first poll)."""

    def __init__(self, client, domain, keys):
        self.client = client
        self.domain = domain
        self.keys = list(keys)
        self.known = {}

    def __call__(self):
        return relays_online(self.client, self.domain, self.keys, self.known)

    def rivals(self, keys):
        """For each of ``keys`` that a relay other than the domain's may deliver under its name: what, as text."""
        rivals = self.known.get('rivals') or {}
        return ['%s (%s relays that name too)' % (names([key])[0], rivals[key]) for key in keys if key in rivals]


def names(keys):
    """``app/stream`` of each key (a name already written as text stays as it is)."""
    return [key if isinstance(key, str) else '%s/%s' % key for key in keys]


def waited_text(waited, timeout):
    """How long a wait that ran out took, and its timeout (a last look may take it past that). Pure."""
    over = '; its last look took it past that' if waited.seconds >= timeout + 1 else ''
    return '%d s (wait_timeout: %d s%s)' % (int(round(waited.seconds)), timeout, over)


def rerun_text(result):
    """What a rerun of a task whose wait failed does: it changes nothing (what this one wrote stands), and waits."""
    if result.get('changed'):
        return 'What the task wrote stands (see the result); a rerun changes nothing and waits again.'
    return 'Nothing needed changing; a rerun waits again.'


def timed_out_message(what, waited, timeout):
    """The failure of a wait that ran out (``what``: the noun of one thing waited for): what was still not online,
    and how long it waited. Pure."""
    missing = names(waited.missing)
    shown = ', '.join(missing[:MESSAGE_NAMES])
    if len(missing) > MESSAGE_NAMES:
        shown += ' and %d more' % (len(missing) - MESSAGE_NAMES)
    message = '%d %s%s not online after %s: %s.' % (
        len(missing),
        what,
        '' if len(missing) == 1 else 's',
        waited_text(waited, timeout),
        shown,
    )
    if waited.rivalled:
        message += (
            ' A relayed stream of the same name listed under another domain of the space was not taken for the '
            "domain's, because something else there may relay it: %s." % '; '.join(waited.rivalled[:MESSAGE_NAMES])
        )
    return message


def not_open_note(not_open, offset=None):
    """For the result: the relays whose window is not open (``(key, event, moment)``: ``event`` ``opens at`` or
    ``ended at``, ``moment`` Unix seconds), as text in ``offset`` (one for all, or a dict by key; None: UTC). Pure."""
    notes = []
    for key, event, moment in not_open:
        shown_in = offset.get(key) if isinstance(offset, dict) else offset
        notes.append('%s %s %s' % (names([key])[0], event, moment_text(moment, shown_in)))
    return notes


def delivery(waited, not_open, offset=None):
    """The ``delivery`` result of a wait: what came online, what did not, what was not waited for (``not_open``, shown
    in ``offset`` as :func:`not_open_note` says), and what it cost."""
    return {
        'online': names(waited.online) if waited else [],
        'not_online': names(waited.missing) if waited else [],
        'not_open': not_open_note(not_open, offset),
        'seconds': round(waited.seconds, 1) if waited else 0.0,
        'polls': waited.polls if waited else 0,
    }


def wait_into(result, waiting, timed_out, offset=None):
    """Run ``waiting()`` (a wait answering ``(waited, not_open)``) for a task that has written ``result``: put its
    ``delivery`` in the result, and fail keeping the result (the write's ``request_id`` included) when the wait ran
    out (``timed_out(waited)``: the message) or a look failed on a fault that will not pass. ``error`` then names
    the look that failed, with its own ``request_id``."""
    waited, not_open = waiting()
    result['delivery'] = delivery(waited, not_open, offset)
    if waited is None or not waited.missing:
        return
    failure = waited.failure
    if failure is None:
        raise TaskFailed('%s %s' % (timed_out(waited), rerun_text(result)), **result)
    error = dict(failure.to_result()['error'], request_id=failure.request_id)
    if not failure.transient:
        raise TaskFailed(
            'A look for the delivery of what the task configured failed: %s. %s (once that is mended)'
            % (str(failure).rstrip('.'), rerun_text(result).rstrip('.')),
            error=error,
            **result,
        )
    raise TaskFailed(
        '%s %s The last look failed: %s' % (timed_out(waited), rerun_text(result), failure), error=error, **result
    )


def bounding(client):
    """The ``bound`` of a wait whose looks use ``client``: before each look, the client gets a retry policy of its own
    (``RetryPolicy.within``) that ends by the wait's deadline."""
    base = client.retry

    def bound(seconds):
        client.retry = base.within(seconds)

    return bound


def wait_for_relays(client, domain, relays, timeout, now):
    """Wait until every relay of ``relays`` (normalised fixed relays of ``domain``) whose window is open ``now`` is
    online. Returns ``(waited, not_open)``: the :class:`Waited` (None when no window is open), and the relays whose
    window is not open (not waited for, as :func:`not_open_note` takes them)."""
    keys, not_open = [], []
    for relay in relays:
        key = (relay['app'], relay['stream'])
        if window_open(relay.get('start_time'), relay.get('end_time'), now):
            keys.append(key)
        elif relay['start_time'] > now:
            not_open.append((key, OPENS, relay['start_time']))
        else:  # over: nothing will come online
            not_open.append((key, ENDED, relay['end_time']))
    if not keys:
        return None, not_open
    poller = RelayPoller(client, domain, keys)
    waited = wait_until(poller, keys, timeout, bound=bounding(client))
    waited.rivalled = poller.rivals(waited.missing)
    return waited, not_open


class TaskPoller:
    """What of a pull-to-push ``task`` (normalised, with its TaskId) is delivered: ``task <title>`` once the task
    runs, and ``<domain>/<app>/<stream>`` once its Live destination (given as domain, app and stream) is online; both
    once a VOD task has ended within its window (its files played out: it delivered, and is over)."""

    def __init__(self, client, task):
        self.client = client
        self.task = task
        self.task_name = 'task %s' % task['title']
        self.wanted = [self.task_name]
        self.stream_query = None
        if task.get('domain') and task.get('app') and task.get('stream'):
            self.stream_query = {
                'domain': task['domain'],
                'vhost': None,
                'app': task['app'],
                'stream': task['stream'],
                'source_types': ('push',),
            }
            self.wanted.append('%s/%s/%s' % (task['domain'], task['app'], task['stream']))
        self.space = None

    def __call__(self):
        found = set()
        for listed, _item in list_tasks(self.client, self.task['group'], self.task['title']):
            if listed['task_id'] == self.task['task_id'] and listed['status'] == 'ended' and self.task['type'] == 'vod':
                return set(self.wanted)  # its files played out; a Live source that ended early delivered nothing
            if listed['task_id'] == self.task['task_id'] and listed['status'] == 'running':
                found.add(self.task_name)
        if self.stream_query is not None:
            listing = online_streams(self.client, self.stream_query, space=self.space)
            self.space = (listing.vhost, listing.kind)
            if any(key_of(item) == (self.task['app'], self.task['stream']) for item in listing.streams):
                found.add(self.wanted[1])
        return found


def wait_for_task(client, task, timeout, now):
    """Wait until the pull-to-push ``task`` runs and its Live destination is online, when its window is open
    ``now``. Returns ``(waited, not_open)`` as :func:`wait_for_relays` does (names, not keys)."""
    if task['start_time'] > now:
        return None, [('task %s' % task['title'], OPENS, task['start_time'])]
    if task['end_time'] <= now:
        return None, [('task %s' % task['title'], ENDED, task['end_time'])]
    poller = TaskPoller(client, task)
    return wait_until(poller, poller.wanted, timeout, bound=bounding(client)), []


def task_timed_out_message(task, waited, timeout):
    """The failure of a pull-to-push task's wait that ran out. Pure."""
    missing = []
    for name in waited.missing:
        missing.append('it does not run' if name.startswith('task ') else '%s is not online' % name)
    return 'The pull-to-push task %s is not delivered after %s: %s.' % (
        task['title'],
        waited_text(waited, timeout),
        ', and '.join(missing),
    )
