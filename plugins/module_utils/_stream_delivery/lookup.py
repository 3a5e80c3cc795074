# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Looking stream delivery up: the online streams of a domain or domain space, one stream's state, a relayed
stream's recent metrics. Read-only: nothing here writes.

A domain's relayed streams may be listed under another domain of its space (``plan``'s docstring says why and how
they are told apart); this layer reads what that takes, and no more: the domain's own listing always, its fixed
relays and the account's relayed streams only when a relay it configures is missing from its own listing.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import from_api_item, iter_relay_sources
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.api import (
    describe_state,
    iter_online,
    source_metrics,
)
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.plan import (
    attribute,
    key_of,
    missing_relays,
    vhost_of,
)

# Error codes of DescribeLiveStreamState that say the stream was never seen (no page names one; these are the
# spellings Volcengine uses for a missing resource).
_NOT_FOUND_MARKS = ('NotFound', 'NotExist', 'NoSuch')


def _source_type(query):
    """The SourceType filter of a query: None for both."""
    return query['source_types'][0] if len(query['source_types']) == 1 else None


def configured_relays(client, domain, app=None, stream=None):
    """The ``(app, stream)`` of the fixed relays ``domain`` configures (of ``app``/``stream`` when given), in the
    order listed; an empty list when the service refuses to list the domain's (a play domain configures none)."""
    try:
        items = [from_api_item(item, domain) for item in iter_relay_sources(client, domain)]
    except LiveApiError as error:
        if error.transient or error.outcome_unknown:
            raise
        return []
    return [
        key_of(item)
        for item in items
        if (app is None or item['app'] == app) and (stream is None or item['stream'] == stream)
    ]


class Found:
    """What :func:`online_streams` found: the ``streams``; the ``ambiguous`` relays (two streams listed elsewhere
    qualified, neither taken); the ``guessed`` ones (taken from another domain without knowing the domain's space);
    and the domain's ``vhost`` as far as known."""

    def __init__(self, streams, ambiguous=(), guessed=(), vhost=None):
        self.streams = streams
        self.ambiguous = list(ambiguous)
        self.guessed = list(guessed)
        self.vhost = vhost


def online_streams(client, query, configured=None, vhost=None, elsewhere=None):
    """The online streams the query selects (``rules.normalize_query``), each with ``listed_domain``: a
    :class:`Found`.

    With a domain and its space (the query's ``vhost``, or ``vhost`` once a caller knows it) one listing of the space
    finds everything. With a domain alone, the domain's listing; and when a fixed relay it configures is missing
    there, the account's relayed streams of that name, of its space when the domain's own listing shows the space.
    ``configured`` (the ``(app, stream)`` of the domain's fixed relays, when the caller knows them) saves listing
    them; ``elsewhere`` caches, across calls, the fixed relays of the other domains a stream was listed under.
    """
    filters = dict(app=query['app'], stream=query['stream'], source_type=_source_type(query))
    domain, vhost = query['domain'], query['vhost'] or vhost
    if domain is None:
        return Found(attribute(None, list(iter_online(client, vhost=vhost, **filters)), [], {})[0], vhost=vhost)
    if vhost is not None:
        space = list(iter_online(client, vhost=vhost, **filters))
        listed = [item for item in space if item['domain'] == domain]
        others = [item for item in space if item['domain'] != domain and item['source_type'] == 'relay']
    else:
        listed, others = list(iter_online(client, domain=domain, **filters)), None
        vhost = vhost_of(domain, listed)
    missing = set()
    if 'relay' in query['source_types']:
        if configured is None:
            configured = configured_relays(client, domain, query['app'], query['stream'])
        missing = set(missing_relays(configured, listed))
    if not missing:
        return Found(attribute(domain, listed, [], {})[0], vhost=vhost)
    if others is None:
        others = [
            item
            for item in iter_online(client, app=query['app'], stream=query['stream'], source_type='relay')
            if item['domain'] != domain
        ]
    candidates = [item for item in others if key_of(item) in missing and (vhost is None or item['vhost'] == vhost)]
    elsewhere = {} if elsewhere is None else elsewhere
    for other in sorted({item['domain'] for item in candidates} - set(elsewhere)):
        elsewhere[other] = set(configured_relays(client, other))
    streams, ambiguous = attribute(domain, listed, candidates, elsewhere)
    taken = [key_of(item) for item in streams if item['listed_domain'] != domain]
    return Found(streams, ambiguous, [] if vhost is not None else taken, vhost)


def stream_state(client, query, streams):
    """The state of the query's stream: ``online`` (with its source type) when ``streams`` shows it, else what
    DescribeLiveStreamState answers (``offline``, ``forbidden``; a stream never seen is ``offline``)."""
    for item in streams:
        if key_of(item) == (query['app'], query['stream']):
            return {'state': 'online', 'source_type': item['source_type']}
    try:
        state, _request_id = describe_state(
            client, query['app'], query['stream'], domain=query['domain'], vhost=query['vhost']
        )
    except LiveApiError as error:
        if error.transient or error.outcome_unknown or not any(mark in (error.code or '') for mark in _NOT_FOUND_MARKS):
            raise
        return {'state': 'offline', 'source_type': None}
    return state


def recent_metrics(client, key, minutes, now):
    """The samples of the relayed stream ``key`` (the domain it is listed under, app, stream) over the last
    ``minutes`` before ``now`` (Unix seconds)."""
    end = int(now)
    return source_metrics(client, key, end - minutes * 60, end)
