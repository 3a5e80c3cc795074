# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Which online streams are a domain's: pure, from what the listing of its domain space found.

No page says which domain an online relayed stream is listed under when its fixed relay was configured on a domain:
that domain itself, or a play domain of the same domain space (Vhost). A stream name is one stream within a space,
so the domain's streams are those its space lists under it, and, for each fixed relay the domain configures that is
not among them, the relayed stream of that app and stream listed under another domain of the space.
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


def attribute(domain, listed, candidates):
    """The online streams of ``domain``: those ``listed`` under it, then for each relay the domain configures that
    its listing missed, the relayed stream of that name listed under another domain of its space (``candidates``;
    a name listed under two such domains is one stream, taken once). Each carries ``domain``, the domain it is the
    stream of, and ``listed_domain``, the one the service listed it under."""
    streams = [dict(item, listed_domain=item['domain']) for item in listed]
    taken = set()
    for item in candidates:
        if key_of(item) not in taken:
            taken.add(key_of(item))
            streams.append(dict(item, domain=domain, listed_domain=item['domain']))
    return streams


def window_open(start_time, end_time, now):
    """Whether a relay's window is open at ``now``: a permanent relay's always is. Pure."""
    if start_time is None:
        return True
    return start_time <= now < end_time
