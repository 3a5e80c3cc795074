# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Compare the current relay source with the desired one and plan the write that brings one to the other.

Pure functions: no I/O, so every edge case is unit-tested directly. Both sides are in the normalised shape
(``_fixed_relay.api.from_api_item`` for what the service holds, ``_fixed_relay.rules.normalize_relay_source`` for what
the task asks for).
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.planning import (
    CREATE,
    DELETE,
    NO_CHANGE,
    UPDATE,
    planned_diff,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    ValidationError,
    past_window_error,
    window_over,
    with_readable_times,
)

# The fields an update can change; domain, app and stream identify a configuration.
MUTABLE_FIELDS = ('src_addrs', 'start_time', 'end_time')


def same_stream(item, app, stream):
    """Whether a normalised item of the listed domain is the configuration of ``app/stream`` (case-sensitive)."""
    return item['app'] == app and item['stream'] == stream


def differences(current, desired):
    """The mutable fields whose values differ; ``src_addrs`` order matters (the service tries them in order)."""
    return [field for field in MUTABLE_FIELDS if current.get(field) != desired.get(field)]


def clears_window(current, desired):
    """Whether going from ``current`` to ``desired`` removes a time window (makes a timed relay permanent)."""
    return current is not None and current.get('start_time') is not None and desired.get('start_time') is None


def planned_action(current, desired, state, now=None, offset=None):
    """What to do: CREATE, UPDATE, DELETE or NO_CHANGE.

    ``current`` is the normalised configuration found (or None), ``desired`` the
    normalised parameters (ignored for ``absent``). With ``now`` (Unix seconds), a desired window that is over
    allows no create and no update (``_core.rules.past_window_error``, raised before any write, showing the times in
    ``offset``, the one the play wrote ``end_time`` in): a relay found with exactly that window is no change, and
    deleting one is always allowed.
    """
    if state == 'absent':
        return DELETE if current is not None else NO_CHANGE
    action = CREATE if current is None else UPDATE if differences(current, desired) else NO_CHANGE
    if action != NO_CHANGE and now is not None and window_over(desired['end_time'], now):
        raise past_window_error(desired['end_time'], now, offset, 'A fixed relay')
    return action


def diff_view(current, desired, action, offset=None):
    """``{'before': ..., 'after': ...}`` for Ansible's --diff, with a header naming the stream, and the times also
    as a person reads them, in ``offset`` (``_core.rules.with_readable_times``; None: UTC)."""
    subject = current or desired
    header = 'relay source %s/%s/%s' % (subject['domain'], subject['app'], subject['stream'])
    return planned_diff(with_readable_times(current, offset), with_readable_times(desired, offset), action, header)


class DomainPlan:
    """What one pass over a domain calls for: creates, updates (current, desired), deletes, and what stays; and
    the items refused (desired, ValidationError): a window that is over, which allows no write of the domain."""

    def __init__(self):
        self.creates = []
        self.updates = []
        self.deletes = []
        self.unchanged = []
        self.refused = []

    @property
    def changed(self):
        return bool(self.creates or self.updates or self.deletes)

    def writes(self):
        """``(action, current, desired)`` of every write, creates first, then updates, then deletes."""
        return (
            [(CREATE, None, desired) for desired in self.creates]
            + [(UPDATE, current, desired) for current, desired in self.updates]
            + [(DELETE, current, current) for current in self.deletes]
        )

    def summary(self):
        return 'create %d, update %d, delete %d, unchanged %d' % (
            len(self.creates),
            len(self.updates),
            len(self.deletes),
            len(self.unchanged),
        )


def _stream_of(item):
    """``(app, stream)`` of a normalised configuration."""
    return item['app'], item['stream']


def index_by_stream(current):
    """The listed configurations by ``(app, stream)``; a stream listed twice counts once, first come."""
    by_key = {}
    for item in current:
        by_key.setdefault((item['app'], item['stream']), item)
    return by_key


def purges(current, purge_apps):
    """Whether purge may delete the unlisted configuration ``current``: any app, or one of ``purge_apps``."""
    return not purge_apps or current['app'] in purge_apps


def plan_domain(  # noqa: PLR0913 - relay_sources' options (purge, purge_apps), the clock and the offsets of messages
    current,
    desired,
    state,
    purge=False,
    purge_apps=None,
    now=None,
    offsets=None,
):
    """Plan a whole domain in one pass. Pure.

    ``current`` is every normalised configuration the domain lists (a stream listed twice counts once, first
    come), ``desired`` the validated items of the task (app/stream unique). ``present`` creates and updates the
    listed streams, and with ``purge`` deletes the domain's other configurations (of ``purge_apps`` only, when
    given). ``absent`` deletes the listed streams that exist. With ``now``, an item whose window is over and that
    would be written is refused (``refused``), as :func:`planned_action` says; ``offsets`` maps ``(app, stream)``
    to the UTC offset its ``end_time`` was written in, for the message.
    """
    by_key = index_by_stream(current)
    result = DomainPlan()
    listed = set()
    for wanted in desired:
        key = (wanted['app'], wanted['stream'])
        listed.add(key)
        found = by_key.get(key)
        try:
            action = planned_action(found, wanted, state, now, (offsets or {}).get(key))
        except ValidationError as error:
            result.refused.append((wanted, error))
            continue
        if action == CREATE:
            result.creates.append(wanted)
        elif action == UPDATE:
            result.updates.append((found, wanted))
        elif action == DELETE:
            result.deletes.append(found)
        else:
            result.unchanged.append(found or wanted)
    if state == 'present' and purge:
        for key, found in by_key.items():
            if key not in listed and purges(found, purge_apps):
                result.deletes.append(found)
    return result


def domain_diff(domain, domain_plan, offsets=None):
    """``--diff`` of a domain plan: a summary first, then each stream that changes, its times also in the offset
    its item was written in (``offsets``: by (app, stream); UTC for others)."""
    offsets = offsets or {}
    header = 'relay sources of %s' % domain
    views = [
        {
            'before_header': header,
            'after_header': header,
            'before': '',
            'after': 'plan: %s\n' % domain_plan.summary(),
        }
    ]
    views.extend(
        diff_view(current, desired, action, offsets.get(_stream_of(current or desired)))
        for action, current, desired in domain_plan.writes()
    )
    return views
