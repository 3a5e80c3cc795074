# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Compare the current relay source with the desired one and plan the write that brings one to the other.

Pure functions: no I/O, so every edge case is unit-tested directly. Both sides are in the normalised shape
(``_api_mapping.from_api_item`` for what the service holds, ``_validation.normalize_relay_source`` for what
the task asks for).
"""

from __future__ import annotations

# The fields an update can change; domain, app and stream identify a configuration.
MUTABLE_FIELDS = ('src_addrs', 'start_time', 'end_time')

CREATE = 'create'
UPDATE = 'update'
DELETE = 'delete'
NO_CHANGE = 'no_change'


def same_stream(item, app, stream):
    """Whether a normalised item of the listed domain is the configuration of ``app/stream`` (case-sensitive)."""
    return item['app'] == app and item['stream'] == stream


def differences(current, desired):
    """The mutable fields whose values differ; ``src_addrs`` order matters (the service tries them in order)."""
    return [field for field in MUTABLE_FIELDS if current.get(field) != desired.get(field)]


def clears_window(current, desired):
    """Whether going from ``current`` to ``desired`` removes a time window (makes a timed relay permanent)."""
    return current is not None and current.get('start_time') is not None and desired.get('start_time') is None


def plan(current, desired, state):
    """What to do: CREATE, UPDATE, DELETE or NO_CHANGE.

    ``current`` is the normalised configuration found (or None), ``desired`` the
    normalised parameters (ignored for ``absent``).
    """
    if state == 'absent':
        return DELETE if current is not None else NO_CHANGE
    if current is None:
        return CREATE
    return UPDATE if differences(current, desired) else NO_CHANGE


def diff_view(current, desired, action):
    """``{'before': ..., 'after': ...}`` for Ansible's --diff, with a header naming the stream."""
    before = dict(current) if current is not None else {}
    if action == DELETE:
        after = {}
    elif action == NO_CHANGE:
        after = dict(before)
    else:
        after = dict(desired)
    subject = current or desired
    header = 'relay source %s/%s/%s' % (subject['domain'], subject['app'], subject['stream'])
    return {'before': before, 'after': after, 'before_header': header, 'after_header': header}
