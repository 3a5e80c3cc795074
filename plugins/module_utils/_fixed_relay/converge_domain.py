# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Bring a whole domain to its desired relay sources: one read, one plan, the writes side by side.

The domain's List pages are read once and planned once (``_fixed_relay.plan.plan_domain``). The writes go out on one
worker thread per action (creates, updates, deletes), each with a client of its own: the API's limit of 10
requests/s holds per action, so the three actions proceed side by side, each paced by the shared pacer.

Faults keep ``relay_source``'s guarantees, in the same loop (``_core.converge.send_until_settled``). The client retries
what certainly did not happen (throttling, a refused connection). A write whose outcome is open (no answer, a
server error) is never sent again blindly: after the round, the domain is read once more and only those streams
are planned anew; a create that got no answer saying whether it was carried out is never sent
again, and fails its stream when the reads after it do not find it. A write the service
refuses fails its stream only; the others go ahead, and the outcome lists every failure beside what was done.
"""

from __future__ import annotations

import threading

from ansible_collections.volcengine.live.plugins.module_utils._core.converge import send_until_settled
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, DELETE, NO_CHANGE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import from_api_item, iter_relay_sources
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.converge import (
    send_planned_write,
    window_kept_message,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.plan import (
    clears_window,
    index_by_stream,
    plan_domain,
    planned_action,
)

_RECORDS = {CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted'}


def read_domain(client, domain):
    """Every configuration of ``domain``, normalised, in listing order (all pages, one pass)."""
    return [from_api_item(item, domain) for item in iter_relay_sources(client, domain)]


class DomainOutcome:
    """What a domain convergence found, planned and did."""

    def __init__(self, domain_plan):
        self.plan = domain_plan  # the plan of the first read: what check mode reports
        self.created = []  # {app, stream, task_id}
        self.updated = []  # {app, stream}
        self.deleted = []  # {app, stream}
        self.failed = []  # {app, stream, action, msg, error, request_id}
        self.answers_lost = 0  # writes carried out whose answer never arrived
        self.maybe_changed = False  # a write that failed may have taken effect (its error has after_write)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted) or self.maybe_changed

    def record(self, action, subject, task_id=None):
        entry = {'app': subject['app'], 'stream': subject['stream']}
        if action == CREATE:
            entry['task_id'] = task_id
        getattr(self, _RECORDS[action]).append(entry)

    def fail(self, action, subject, msg, error=None):
        result = error.to_result() if error is not None else {'error': None, 'request_id': None}
        self.maybe_changed = self.maybe_changed or bool(error is not None and error.after_write)
        self.failed.append(
            {
                'app': subject['app'],
                'stream': subject['stream'],
                'action': action,
                'msg': msg,
                'error': result['error'],
                'request_id': result['request_id'],
            }
        )


def run_side_by_side(make_client, writes):
    """Carry out ``writes`` (``(action, current, desired)``), one thread per action, in order within an action.

    Returns one ``(answer, error)`` per write, in the order given: ``answer`` is ``(task_id, request_id)``,
    ``error`` the LiveApiError of a write that failed.
    """
    results = [None] * len(writes)
    crashed = []
    queues = {}
    for index, write in enumerate(writes):
        queues.setdefault(write[0], []).append(index)

    def worker(indexes):
        try:
            client = make_client()
            for index in indexes:
                action, current, desired = writes[index]
                try:
                    results[index] = (
                        send_planned_write(client, action, current if action == DELETE else desired),
                        None,
                    )
                except LiveApiError as error:
                    results[index] = (None, error)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            crashed.append(exc)  # raised again in the caller's thread below

    threads = [threading.Thread(target=worker, args=(indexes,), daemon=True) for indexes in queues.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if crashed:
        raise crashed[0]
    return results


def converge_domain(  # noqa: PLR0913 - relay_sources' options, passed on as the task gives them
    make_client,
    domain,
    desired,
    state,
    retry,
    purge=False,
    purge_apps=None,
    check_mode=False,
    now=None,
    offsets=None,
):
    """Read ``domain`` once, plan it, and (unless ``check_mode``) carry the plan out; return a DomainOutcome.

    ``make_client()`` returns a new LiveClient (one per worker thread). Writes whose outcome is open are
    planned anew after one more read, as many rounds as ``retry`` allows; an update that makes a relay
    permanent is checked by a last read. With ``now``, an item whose window is over is refused (the plan's
    ``refused``), and then nothing is written.
    """
    client = make_client()
    first = plan_domain(read_domain(client, domain), desired, state, purge, purge_apps, now, offsets)
    outcome = DomainOutcome(first)
    if check_mode or not first.changed or first.refused:
        return outcome

    origin = {(w[2]['app'], w[2]['stream']): w[0] for w in first.writes()}  # the action each stream was planned for
    cleared = []  # updates that made a relay permanent: checked by a last read

    def on_sent(write, answer):
        action, current, wanted = write
        outcome.record(origin[(wanted['app'], wanted['stream'])], wanted, answer[0])
        if action == UPDATE and clears_window(current, wanted):
            cleared.append(wanted)

    def on_found(write):
        wanted = write[2]
        outcome.answers_lost += 1
        outcome.record(origin[(wanted['app'], wanted['stream'])], wanted)

    def on_failed(write, error):
        wanted = write[2]
        outcome.fail(origin[(wanted['app'], wanted['stream'])], wanted, str(error), error)

    def replan(now, write):
        action, _current, wanted = write
        found = now.get((wanted['app'], wanted['stream']))
        again = (
            (DELETE if found is not None else NO_CHANGE) if action == DELETE else planned_action(found, wanted, state)
        )
        return None if again == NO_CHANGE else (again, found, found if again == DELETE else wanted)

    send_until_settled(
        first.writes(),
        lambda pending: run_side_by_side(make_client, pending),
        lambda: index_by_stream(read_domain(client, domain)),
        replan,
        retry,
        on_sent,
        on_found,
        on_failed,
        unrepeatable=lambda write: write[0] == CREATE,
    )

    if cleared:
        try:
            now = index_by_stream(read_domain(client, domain))
        except LiveApiError as error:
            for wanted in cleared:
                outcome.fail(
                    UPDATE, wanted, 'the update was accepted, but its window could not be checked: %s' % error, error
                )
            return outcome
        for wanted in cleared:
            found = now.get((wanted['app'], wanted['stream']))
            if found is not None and found['start_time'] is not None:
                outcome.fail(UPDATE, wanted, window_kept_message(found))
    return outcome
