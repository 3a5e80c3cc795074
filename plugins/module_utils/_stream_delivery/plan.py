# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Which online streams are a domain's: pure, from what the listings found.

No page says which domain an online relayed stream is listed under when its fixed relay was configured on a domain:
that domain itself, or a play domain of the same domain space (Vhost). So a domain's relayed streams are found in two
places. Those listed under the domain are its own. A relayed stream listed under another domain is the domain's when
the domain configures a fixed relay of that app and stream, and the domain it is listed under configures none of its
own (a play domain configures no fixed relay; another push domain that relays the same names does); when two such
streams qualify, neither is taken, since nothing tells which is the domain's.
"""

from __future__ import annotations


def key_of(item):
    """``(app, stream)`` of a normalised stream or relay source."""
    return item['app'], item['stream']


def missing_relays(configured, listed):
    """The ``(app, stream)`` of the fixed relays ``configured`` on a domain that ``listed`` (the relayed streams
    listed under that domain) does not show online, in the order configured."""
    online = {key_of(item) for item in listed if item['source_type'] == 'relay'}
    return [key for key in configured if key not in online]


def attribute(domain, listed, candidates, configured_elsewhere):
    """The online streams of ``domain``: those ``listed`` under it, then the relayed ``candidates`` listed under
    another domain (each a normalised online stream whose ``(app, stream)`` the domain configures and its listing
    missed) that the domain they are listed under does not configure itself (``configured_elsewhere``: that
    domain's ``(app, stream)`` set, by domain). Returns ``(streams, ambiguous)``: each stream with ``domain`` the
    domain it is the stream of and ``listed_domain`` the one the service listed it under, and the ``(app, stream)``
    of the relays two candidates qualified for (taken for neither)."""
    streams = [dict(item, listed_domain=item['domain']) for item in listed]
    by_key = {}
    for item in candidates:
        if key_of(item) not in configured_elsewhere.get(item['domain'], ()):
            by_key.setdefault(key_of(item), []).append(item)
    ambiguous = []
    for key, items in by_key.items():
        if len(items) > 1:
            ambiguous.append(key)
            continue
        streams.append(dict(items[0], domain=domain, listed_domain=items[0]['domain']))
    return streams, ambiguous


def vhost_of(domain, streams):
    """The domain space of ``domain`` as the listings show it (the Vhost of any of its streams), or None."""
    for item in streams:
        if item['domain'] == domain and item.get('vhost'):
            return item['vhost']
    return None
