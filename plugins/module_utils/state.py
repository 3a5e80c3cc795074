# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Current versus desired relay-source state: normalisation of API items, comparison, plan.

Pure functions: no I/O, so every edge case is unit-tested directly.
"""

from __future__ import annotations

# The fields an update can change; domain, app and stream identify a configuration.
MUTABLE_FIELDS = ('src_addrs', 'start_time', 'end_time')

CREATE = 'create'
UPDATE = 'update'
DELETE = 'delete'
NOTHING = 'none'


def _int_or_none(value):
    """API times: int or digit string; 0, '' and None mean "not set" (a permanent relay)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if isinstance(value, float):
        value = int(value)
    if not isinstance(value, int) or value <= 0:
        return None
    return value


def from_api_item(item, domain):
    """The normalised form of one item of ``ListRelaySourceV4`` for ``domain`` (the shape ``relay_source`` returns).

    The list was asked for one domain, so every item belongs to it: the item's own ``Domain`` (which may be
    spelled in another case, fully qualified with a trailing dot, as another form of the domain, or left out)
    is not used.
    """
    start_time, end_time = _int_or_none(item.get('StartTime')), _int_or_none(item.get('EndTime'))
    if start_time is None or end_time is None:
        start_time = end_time = None
    return {
        'domain': domain,
        'app': str(item.get('App') or ''),
        'stream': str(item.get('Stream') or ''),
        'src_addrs': [str(addr) for addr in (item.get('SrcAddrS') or [])],
        'start_time': start_time,
        'end_time': end_time,
    }


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
    """What to do: CREATE, UPDATE, DELETE or NOTHING.

    ``current`` is the normalised configuration found (or None), ``desired`` the
    normalised parameters (ignored for ``absent``).
    """
    if state == 'absent':
        return DELETE if current is not None else NOTHING
    if current is None:
        return CREATE
    return UPDATE if differences(current, desired) else NOTHING


def diff_view(current, desired, action):
    """``{'before': ..., 'after': ...}`` for Ansible's --diff, with a header naming the stream."""
    before = dict(current) if current is not None else {}
    if action == DELETE:
        after = {}
    elif action == NOTHING:
        after = dict(before)
    else:
        after = dict(desired)
    subject = current or desired
    header = 'relay source %s/%s/%s' % (subject['domain'], subject['app'], subject['stream'])
    return {'before': before, 'after': after, 'before_header': header, 'after_header': header}
