# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Looking stream delivery up: the online streams of a domain or domain space, one stream's state, a relayed
stream's recent metrics. Read-only: nothing here writes.

A domain's relayed streams may be listed under another domain of its space (``plan``'s docstring says why), so a
domain is looked at through its space: DescribeDomain names the space once, then one listing of the space (a page per
1000 streams) shows the domain's streams wherever they are listed; the domain's fixed relays are read to tell its
relayed streams listed elsewhere, unless the caller knows them.
"""

from __future__ import annotations

import time

from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import from_api_item, iter_relay_sources
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.api import describe as describe_play_relays
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.api import (
    describe_domain,
    describe_state,
    iter_online,
    source_metrics,
    space_domains,
)
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.plan import (
    attribute,
    key_of,
    missing_relays,
    window_open,
)

# Error codes of DescribeLiveStreamState that say the stream was never seen (no page names one; these are the
# spellings Volcengine uses for a missing resource).
_NOT_FOUND_MARKS = ('NotFound', 'NotExist', 'NoSuch')


def _source_type(query):
    """The SourceType filter of a query: None for both."""
    return query['source_types'][0] if len(query['source_types']) == 1 else None


# What ListRelaySourceV4 answers for a domain that holds no fixed relay, as no page rules out: the domain's type
# (push or play, whichever cannot hold one) refused, not the account's, not found; each code with its sub-codes.
_NO_FIXED_RELAYS_CODES = ('InvalidParam', 'RequestForbidden', 'ResourceNotFound')


def _lasting(error):
    """Whether ``error`` is an answer that says something lasting: neither a fault that may pass nor a request whose
    outcome is open."""
    return not (error.transient or error.outcome_unknown)


def _no_fixed_relays(error):
    code = error.code or ''
    return _lasting(error) and any(code == known or code.startswith(known + '.') for known in _NO_FIXED_RELAYS_CODES)


def _fixed_relays_of(client, domain):
    """``(normalised relay, the Domain its item names)`` of each fixed relay ``domain`` configures; none when the
    service refuses to list them for that domain (:data:`_NO_FIXED_RELAYS_CODES`)."""
    try:
        return [
            (from_api_item(item, domain), str(item.get('Domain') or domain).lower().rstrip('.'))
            for item in iter_relay_sources(client, domain)
        ]
    except LiveApiError as error:
        if not _no_fixed_relays(error):
            raise
        return []


def configured_relays(client, domain, app=None, stream=None):
    """The ``(app, stream)`` of the fixed relays ``domain`` configures (of ``app``/``stream`` when given), in the
    order listed; none for a domain the service will not list them for (a play domain, say)."""
    return [
        key_of(relay)
        for relay, _named in _fixed_relays_of(client, domain)
        if (app is None or relay['app'] == app) and (stream is None or relay['stream'] == stream)
    ]


def unique(streams):
    """The streams of a listing read page by page, each once (one that moved to a later page while the pages were
    read shows twice), in the order listed."""
    seen, kept = set(), []
    for item in streams:
        identity = (item['domain'], item['app'], item['stream'])
        if identity not in seen:
            seen.add(identity)
            kept.append(item)
    return kept


class Found:
    """What :func:`online_streams` found: the ``streams``, the domain space (``vhost``, None when the account's
    domains do not include the domain), and the domain's ``kind`` (``push`` or ``pull-flv``) as DescribeDomain says."""

    def __init__(self, streams, vhost=None, kind=None):
        self.streams = streams
        self.vhost = vhost
        self.kind = kind


def online_streams(client, query, configured=None, space=None):
    """The online streams the query selects (``rules.normalize_query``), each with ``listed_domain``: a
    :class:`Found`.

    For a domain, its space is asked of DescribeDomain unless ``space`` (``(vhost, kind)``, from an earlier call)
    is given; then the space is listed once. ``configured`` (the ``(app, stream)`` of the domain's fixed relays,
    when the caller knows them) saves listing them. A domain DescribeDomain does not list is looked at alone.
    """
    filters = dict(app=query['app'], stream=query['stream'], source_type=_source_type(query))
    domain = query['domain']
    if domain is None:
        listed = unique(iter_online(client, vhost=query['vhost'], **filters))
        return Found(attribute(None, listed, []), vhost=query['vhost'])
    vhost, kind = space or describe_domain(client, domain)
    if vhost is None:
        return Found(attribute(domain, unique(iter_online(client, domain=domain, **filters)), []))
    whole = unique(iter_online(client, vhost=vhost, **filters))
    listed = [item for item in whole if item['domain'] == domain]
    candidates = []
    if 'relay' in query['source_types']:
        if configured is None:
            configured = configured_relays(client, domain, query['app'], query['stream'])
        missing = set(missing_relays(configured, listed))
        candidates = [
            item
            for item in whole
            if item['domain'] != domain and item['source_type'] == 'relay' and key_of(item) in missing
        ]
        if candidates:  # a name something else of the space may relay is not the domain's to claim
            rivals = rivals_of(client, vhost, domain, [key_of(item) for item in candidates])
            candidates = [item for item in candidates if key_of(item) not in rivals]
    return Found(attribute(domain, listed, candidates), vhost=vhost, kind=kind)


def rivals_of(client, vhost, domain, keys, now=None):
    """What else in the domain space ``vhost`` may relay a stream named as a key of ``keys`` (``(app, stream)`` of
    ``domain``'s fixed relays): ``{key: what}``, from the fixed relays the space's other domains configure whose
    window is open ``now`` (Unix seconds; default: the clock), and the space's play-triggered relays (of the whole
    space, or of the key's app). A relayed stream of such a name listed under another domain cannot be told from the
    domain's own. When what else relays cannot be read (a permission the access key lacks), every key is a rival,
    saying so: nothing is claimed that cannot be told apart. A fault that may pass is raised (the look fails)."""
    now = time.time() if now is None else now
    wanted, rivals = set(keys), {}
    try:
        for other in space_domains(client, vhost):
            if other == domain:
                continue
            for relay, named in _fixed_relays_of(client, other):
                key = key_of(relay)
                if named == domain or key not in wanted or key in rivals:
                    continue  # the domain's own relay, as another domain's list may show it, is no rival
                if window_open(relay['start_time'], relay['end_time'], now):
                    rivals[key] = "%s's fixed relay" % other
        play_apps = {group['app'] for group in describe_play_relays(client, vhost)}
    except LiveApiError as error:
        if not _lasting(error):
            raise
        unknown = 'what else of the space relays it could not be read: %s on %s' % (error.code, error.action)
        return dict.fromkeys(keys, unknown)
    for key in keys:
        if key not in rivals and (None in play_apps or key[0] in play_apps):
            rivals[key] = "the space's play-triggered relay of %s" % ('every app' if None in play_apps else key[0])
    return rivals


def relays_online(client, domain, keys, known):
    """Which relays of ``keys`` (``(app, stream)`` of fixed relays ``domain`` configures) are online: a set of keys.
    ``known`` is a dict kept across the calls of one wait: the domain's ``space`` (``(vhost, kind)``), and the
    ``rivals`` of its relays (:func:`rivals_of`) once a relayed stream of one of them shows under another domain.

    A relay is online when its relayed stream is listed under the domain, or (:mod:`plan` says why) listed as a
    relayed stream under another domain of its space that nothing else there may relay under that name. The listing
    is read only as far as it must be: once every relay is found, no further page is asked for, so a space of exactly
    1000 online streams costs one call, not a second for the empty page that would prove the list over. One relay is
    listed by its name alone.
    """
    if 'space' not in known:
        known['space'] = describe_domain(client, domain)
    vhost, _kind = known['space']
    app, stream = keys[0] if len(keys) == 1 else (None, None)
    filters = dict(app=app, stream=stream, source_type='relay')
    listing = iter_online(client, vhost=vhost, **filters) if vhost else iter_online(client, domain=domain, **filters)
    wanted, found = set(keys), set()
    for item in listing:
        key = key_of(item)
        if key not in wanted or key in found:
            continue
        if item['domain'] != domain:
            if item['source_type'] != 'relay':
                continue
            if 'rivals' not in known:
                known['rivals'] = rivals_of(client, vhost, domain, keys)
            if key in known['rivals']:
                continue
        found.add(key)
        if found == wanted:
            break
    return found


def stream_state(client, query, found):
    """The state of the query's stream: ``online`` (with its source type) when ``found`` shows it, else what
    DescribeLiveStreamState answers, asked of the domain space when known (``offline``, ``forbidden``; a stream
    never seen is ``offline``)."""
    for item in found.streams:
        if key_of(item) == (query['app'], query['stream']):
            return {'state': 'online', 'source_type': item['source_type']}
    by_space = found.vhost is not None
    try:
        state, _request_id = describe_state(
            client,
            query['app'],
            query['stream'],
            domain=None if by_space else query['domain'],
            vhost=found.vhost if by_space else query['vhost'],
        )
    except LiveApiError as error:
        if not _lasting(error) or not any(mark in (error.code or '') for mark in _NOT_FOUND_MARKS):
            raise
        return {'state': 'offline', 'source_type': None}
    return state


def recent_metrics(client, key, minutes, now):
    """The samples of the relayed stream ``key`` (the domain it is listed under, app, stream) over the last
    ``minutes`` before ``now`` (Unix seconds)."""
    end = int(now)
    return source_metrics(client, key, end - minutes * 60, end)
