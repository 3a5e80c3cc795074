# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Fixed relay sources (RelaySourceV4) on the wire: the calls, and the format both ways.

The calls go through a :class:`_core.transport.LiveClient`, which signs, paces and retries them. The mapping between
the normalised relay source and the request bodies and List items is pure. The normalised shape is what the
modules take and return::

    {'domain': str, 'app': str, 'stream': str, 'src_addrs': [str, ...],
     'start_time': int or None, 'end_time': int or None}
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.paging import every_page, invalid_answer, list_page

ACTION_LIST = 'ListRelaySourceV4'
ACTION_CREATE = 'CreateRelaySourceV4'
ACTION_UPDATE = 'UpdateRelaySourceV4'
ACTION_DELETE = 'DeleteRelaySourceV4'
# ListRelaySourceV4 answers at most 500 items a page; the largest page needs the fewest calls.
LIST_PAGE_SIZE = 500


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


def stream_key_body(domain, app, stream):
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
        'src_addrs': [str(addr) for addr in item.get('SrcAddrS') or [] if addr is not None]
        if isinstance(item.get('SrcAddrS') or [], list)
        else [],
        'start_time': start_time,
        'end_time': end_time,
    }


def list_relay_sources(client, domain, page=1, size=LIST_PAGE_SIZE):
    """One page of ListRelaySourceV4: ``(items, pagination, request_id)``."""
    result, request_id = client.call(ACTION_LIST, {'Domain': domain, 'Page': page, 'Size': size})
    items, pagination = list_page(result, ACTION_LIST, 'relay sources', request_id)
    return items, pagination, request_id


def iter_relay_sources(client, domain, size=LIST_PAGE_SIZE):
    """Every relay source of a domain, as raw API items, page by page (largest pages first to last)."""
    return every_page(lambda page: list_relay_sources(client, domain, page, size)[:2], size, ACTION_LIST)


def create_relay_source(client, body):
    """CreateRelaySourceV4; return ``(task_id, request_id)``."""
    result, request_id = client.call(ACTION_CREATE, body, write=True)
    task_id = result.get('TaskId')
    if task_id in (None, ''):
        raise invalid_answer(ACTION_CREATE, 'the answer carried no TaskId', request_id)
    return str(task_id), request_id


def update_relay_source(client, body):
    """UpdateRelaySourceV4; return the request id."""
    return client.call(ACTION_UPDATE, body, write=True)[1]


def delete_relay_source(client, domain, app, stream):
    """DeleteRelaySourceV4; return the request id."""
    return client.call(ACTION_DELETE, stream_key_body(domain, app, stream), write=True)[1]
