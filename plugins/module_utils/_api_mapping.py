# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The RelaySourceV4 wire format, both ways: the normalised relay source to a request body, and a List item back.

Pure functions: no I/O. The normalised shape is what the modules take and return::

    {'domain': str, 'app': str, 'stream': str, 'src_addrs': [str, ...],
     'start_time': int or None, 'end_time': int or None}
"""

from __future__ import annotations


def to_api_body(relay_source):
    """The CreateRelaySourceV4/UpdateRelaySourceV4 JSON body for a normalised relay source."""
    body = {
        'Domain': relay_source['domain'],
        'App': relay_source['app'],
        'Stream': relay_source['stream'],
        'SrcAddrS': list(relay_source['src_addrs']),
    }
    if relay_source.get('start_time') is not None:
        body['StartTime'] = relay_source['start_time']
        body['EndTime'] = relay_source['end_time']
    return body


def key_body(domain, app, stream):
    """The DeleteRelaySourceV4 JSON body: the key of one configuration."""
    return {'Domain': domain, 'App': app, 'Stream': stream}


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
