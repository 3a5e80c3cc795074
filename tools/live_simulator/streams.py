# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Stream delivery in the simulator: domain spaces, the streams online, one stream's state, a relayed stream's
metrics (DescribeLiveStreamInfoByPage, DescribeLiveStreamState, DescribeLiveSourceStreamMetrics).

Written apart from the collection's own code on purpose, as ``rules.py`` is. Nothing here is stored as "online":
the streams are computed, when a request asks, from what the other stores hold and from the simulator's clock
(``time.time()`` plus ``clock_offset``):

- a fixed relay configuration (RelaySourceV4) is online from ``max(created or last updated, StartTime)`` plus
  ``stream_online_delay`` until its EndTime (never, when permanent) or its deletion, except while every host of its
  ``SrcAddrS`` is marked down (``POST /_sim/sources``); when one comes back up, it is online again after the delay;
- a pull-to-push task whose destination is a Live stream of a simulator domain (``Domain``/``App``/``Stream``, or a
  ``DstAddr`` ``rtmp://<domain>/<app>/<stream>``) puts that stream online, as pushed, from ``max(StartTime, when it
  was created, updated or continued)`` plus the delay until its EndTime, its stop or its deletion.

What was online before a write ended it (an update, a stop, a deletion) is kept in a history, so that a stream seen
before answers ``offline`` and its metrics cover the time it was online.

Every domain belongs to a domain space (Vhost) with play domains: by default, domain ``d`` is the only push domain
of Vhost ``d`` and has the one play domain ``play.d``; ``domain_spaces`` (``POST /_sim/config``) says otherwise.

No page says what some requests do, so each of these is a mode (``POST /_sim/config``) and the collection is
tested against every one:

- ``relay_stream_domain``: the Domain a fixed relay's stream is listed under: the push domain it was configured
  on (``push``) or the first play domain of that domain's space (``play``); DescribeLiveStreamState by Domain
  finds it under that domain only;
- ``never_seen_state``: what DescribeLiveStreamState answers for a stream never online: ``offline`` (type
  ``pull``) or an error (``error``: HTTP 404 ``ResourceNotFound.StreamNotFound``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
import re
import tempfile
import threading
from urllib.parse import urlsplit

from . import rules

RELAY_STREAM_DOMAIN_MODES = ('push', 'play')
NEVER_SEEN_STATE_MODES = ('offline', 'error')
DEFAULT_ONLINE_DELAY = 1.0
RELAY, PUSH = 'relay', 'push'
QUERY_TYPES = ('strict', 'fuzzy')
SOURCE_TYPES = (PUSH, RELAY)
STREAM_TYPES = ('origin', 'trans')
MAX_PAGE_SIZE = 1000
AGGREGATION = 30
MAX_METRICS_SPAN = 86400
MAX_METRICS_AGE = 366 * 86400
RFC3339_RE = re.compile(r'\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})')
HOST_RE = re.compile(r'[^\s/?#@]+')
NEVER_SEEN_CODE = 'ResourceNotFound.StreamNotFound'


# --- domain spaces --------------------------------------------------------------------------------------------


def _domain_list(value, what):
    if not isinstance(value, list) or not value or not all(isinstance(d, str) and d for d in value):
        raise ValueError('domain_spaces: %s must be a non-empty list of domains, got %r' % (what, value))
    return [d.lower() for d in value]


def check_domain_spaces(spaces, domains):
    """The checked form of ``domain_spaces``: ``{vhost: {'push': [domain, ...], 'play': [domain, ...]}}``.

    Every push domain is one of the simulator's ``domains``; no domain is in two places (two spaces, or push and
    play); a Vhost is not the default space of a simulator domain left out. Raises ValueError.
    """
    if not isinstance(spaces, dict):
        raise ValueError('domain_spaces must map each Vhost to {"push": [...], "play": [...]}, got %r' % (spaces,))
    checked, seen = {}, {}
    for vhost, space in spaces.items():
        if not vhost:
            raise ValueError('domain_spaces: a Vhost must have a name')
        if not isinstance(space, dict) or set(space) != {'push', 'play'}:
            raise ValueError('domain_spaces: %s must be {"push": [...], "play": [...]}, got %r' % (vhost, space))
        push, play = _domain_list(space['push'], vhost + ' push'), _domain_list(space['play'], vhost + ' play')
        for domain in push:
            if domain not in domains:
                raise ValueError('domain_spaces: %s is not a domain of the simulator' % domain)
        for domain in push + play:
            if domain in seen:
                raise ValueError('domain_spaces: %s is in %s and in %s' % (domain, seen[domain], vhost))
            seen[domain] = vhost
        checked[vhost] = {'push': push, 'play': play}
    for domain in sorted(set(domains) - {d for s in checked.values() for d in s['push']}):
        clash = [name for name in (domain, 'play.' + domain) if name in seen or name in checked]
        if clash:
            raise ValueError(
                'domain_spaces: %s, the default space of the domain %s, is already used; list %s in a space'
                % (clash[0], domain, domain)
            )
    return checked


class Spaces:
    """The domain space of every domain: the configured ones, and the default one of every other domain."""

    def __init__(self, spaces, domains):
        self.by_push = {}
        self.vhosts = {}
        for vhost, space in spaces.items():
            self.vhosts[vhost.lower()] = vhost
            for domain in space['push']:
                self.by_push[domain] = (vhost, list(space['play']))
        for domain in domains:
            if domain not in self.by_push:
                self.by_push[domain] = (domain, ['play.' + domain])
                self.vhosts[domain] = domain
        self.play = {play for _vhost, plays in self.by_push.values() for play in plays}

    def of(self, domain):
        """``(vhost, [play domain, ...])`` of a push domain; a domain of no space has its default one."""
        domain = domain.lower()
        return self.by_push.get(domain) or (domain, ['play.' + domain])

    def known_domain(self, domain):
        return domain.lower() in self.by_push or domain.lower() in self.play

    def known_vhost(self, vhost):
        return vhost.lower() in self.vhosts

    def describe(self, domain):
        """A DescribeDomain item of ``domain`` (its space, its type, the space's push domain), or None for a domain
        the account does not have."""
        domain = domain.lower()
        for push, (vhost, plays) in sorted(self.by_push.items()):
            if domain == push or domain in plays:
                kind = 'push' if domain == push else 'pull-flv'
                return {'Vhost': vhost, 'Domain': domain, 'Type': kind, 'Status': 0, 'PushDomain': push}
        return None

    def every_domain(self):
        """A DescribeDomain item of every domain of every space, push domains first, then in name order."""
        items = [self.describe(domain) for domain in sorted(self.by_push)]
        return items + [self.describe(domain) for domain in sorted(self.play)]

    def effective(self):
        """Every space, the default ones included: ``{vhost: {'push': [...], 'play': [...]}}``."""
        answer = {}
        for domain, (vhost, plays) in sorted(self.by_push.items()):
            space = answer.setdefault(vhost, {'push': [], 'play': list(plays)})
            space['push'].append(domain)
        return answer


# --- when a stream is online ----------------------------------------------------------------------------------


def host_of(address):
    """The host of a source address, lower case and without its port ('' when it has none)."""
    try:
        return (urlsplit(address).hostname or '').lower()
    except ValueError:
        return ''


def host_up(events):
    """The intervals ``[(start, end)]`` in which one host is up: up from the beginning, then as its events say.

    ``events``: ``[[time, 'down' | 'up'], ...]`` in the order they were marked, the times never decreasing.
    """
    intervals, since = [], -math.inf
    for when, what in events:
        if what == 'down' and since is not None:
            intervals.append((since, when))
            since = None
        elif what == 'up' and since is None:
            since = when
    if since is not None:
        intervals.append((since, math.inf))
    return intervals


def merge(periods):
    """The union of ``[(start, end, kind)]``: each merged period keeps the kind of the one that began it."""
    merged = []
    for start, end, kind in sorted(periods, key=lambda p: p[:2]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end), merged[-1][2])
        else:
            merged.append((start, end, kind))
    return merged


def up_intervals(hosts, events):
    """The intervals in which at least one of ``hosts`` is up (``events``: host -> its events)."""
    if not any(events.get(host) for host in hosts):
        return [(-math.inf, math.inf)]
    return [(a, b) for a, b, _kind in merge((a, b, None) for host in hosts for a, b in host_up(events.get(host, [])))]


def relay_periods(config, events, delay):
    """The online periods ``[(start, end)]`` of a stored fixed relay configuration (end ``inf`` while open)."""
    base = max(config.get('_Updated', 0), config.get('StartTime') or 0)
    end = config.get('EndTime') or math.inf
    hosts = {host_of(address) for address in config['SrcAddrS']}
    periods = []
    for up, down in up_intervals(hosts, events):
        start, stop = max(base, up) + delay, min(end, down)
        if start < stop:
            periods.append((start, stop))
    return periods


def task_periods(task, since, delay):
    """The online period of a stored pull-to-push task's destination; none while it is stopped."""
    if task.get('stopped'):
        return []
    start = max(task['StartTime'], since or 0) + delay
    return [(start, task['EndTime'])] if start < task['EndTime'] else []


def _name_ok(value, limit):
    return 1 <= len(value) <= limit and rules.NAME_RE.fullmatch(value) is not None


def task_destination(task, domains):
    """``(domain, app, stream)`` of a task whose destination is a Live stream of one of ``domains``, else None."""
    if 'DstAddr' in task:
        url = urlsplit(task['DstAddr'])
        parts = url.path.split('/')
        if url.scheme.lower() != 'rtmp' or len(parts) != 3 or parts[0]:
            return None
        domain, app, stream = host_of(task['DstAddr']), parts[1], parts[2]
    else:
        domain, app, stream = task['Domain'], task['App'], task['Stream']
    if domain.lower() not in domains or not _name_ok(app, 30) or not _name_ok(stream, 100):
        return None
    return domain, app, stream


def source(kind, domain, app, stream, periods):
    return {'kind': kind, 'domain': domain, 'app': app, 'stream': stream, 'periods': list(periods)}


def source_key(item):
    return '%s|%s|%s|%s' % (item['kind'], item['domain'].lower(), item['app'], item['stream'])


def streams_view(sources, spaces, mode):
    """The streams the sources make, each once under the Domain it is listed under, in a stable order.

    Each: ``Vhost``, ``Domain``, ``App``, ``Stream``, ``plays`` (its space's play domains), ``periods`` (merged,
    each with the kind that began it) and ``relay`` (the periods of its fixed relays only).
    """
    streams = {}
    for item in sources:
        vhost, plays = spaces.of(item['domain'])
        listed = plays[0] if item['kind'] == RELAY and mode == 'play' else item['domain']
        key = (listed.lower(), item['app'], item['stream'])
        stream = streams.setdefault(
            key,
            {
                'Vhost': vhost,
                'Domain': listed,
                'App': item['app'],
                'Stream': item['stream'],
                'plays': plays,
                'periods': [],
                'relay': [],
            },
        )
        tagged = [(start, end, item['kind']) for start, end in item['periods']]
        stream['periods'].extend(tagged)
        if item['kind'] == RELAY:
            stream['relay'].extend(tagged)
    for stream in streams.values():
        stream['periods'], stream['relay'] = merge(stream['periods']), merge(stream['relay'])
    return [streams[key] for key in sorted(streams, key=lambda k: (streams[k]['Vhost'].lower(),) + k)]


def session(stream, now):
    """The period ``(start, end, kind)`` in which ``stream`` is online at ``now``, or None."""
    return next((p for p in stream['periods'] if p[0] <= now < p[1]), None)


def last_seen(stream, now):
    """The latest period of ``stream`` that began by ``now``, or None when it was never online."""
    begun = [p for p in stream['periods'] if p[0] <= now]
    return begun[-1] if begun else None


def stream_id(stream):
    """A stable int64 of a stream: its listed domain, App and Stream."""
    text = '%s/%s/%s' % (stream['Domain'].lower(), stream['App'], stream['Stream'])
    return int.from_bytes(hashlib.sha256(text.encode('utf-8')).digest()[:8], 'big') >> 1


def rfc3339_ms(seconds):
    """Unix seconds as RFC 3339 UTC with milliseconds: ``2026-12-05T10:00:01.000Z``."""
    millis = int(math.floor(seconds * 1000))
    moment = datetime.datetime.fromtimestamp(millis // 1000, datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%S') + '.%03dZ' % (millis % 1000)


def list_item(stream, now):
    start, _end, kind = session(stream, now)
    return {
        'ID': stream_id(stream),
        'Vhost': stream['Vhost'],
        'Domain': stream['Domain'],
        'App': stream['App'],
        'Stream': stream['Stream'],
        'SessionStartTime': rfc3339_ms(start),
        'SourceType': kind,
    }


# --- request rules ----------------------------------------------------------------------------------------------


def _text(body, key):
    """An optional string field; '' when absent. A repeated query key (a list) cannot be bound."""
    value = body.get(key)
    if value is None:
        return ''
    if not isinstance(value, str):
        raise rules.bind_error('%s must be a string' % key)
    return value


def _required(body, key):
    value = _text(body, key)
    if not value:
        raise rules.invalid('%s is required' % key)
    return value


def _app_stream(body, required):
    """App (1-30) and Stream (1-100) of ``[A-Za-z0-9_.-]``; with ``required`` both must be given."""
    names = []
    for key, limit in (('App', 30), ('Stream', 100)):
        value = _required(body, key) if required else _text(body, key)
        if value and not _name_ok(value, limit):
            raise rules.invalid('%s must be 1 to %d letters, digits, "_", "-" or "."' % (key, limit))
        names.append(value)
    return names


def _choice(body, key, choices, default=''):
    value = _text(body, key) or default
    if value and value not in choices:
        raise rules.invalid('%s must be one of %s, got %r' % (key, ', '.join(choices), value))
    return value


def _page_field(body, key, limit=None):
    value = _required(body, key)
    if not re.fullmatch(r'-?[0-9]+', value):
        raise rules.bind_error('%s must be an integer' % key)
    number = int(value)
    if number < 1 or (limit is not None and number > limit):
        bounds = 'from 1 to %d' % limit if limit else 'at least 1'
        raise rules.invalid('%s must be %s' % (key, bounds), 'InvalidParam.OutOfRange')
    return number


def check_listing(query):
    """The filters and page of a DescribeLiveStreamInfoByPage query (every value a string)."""
    page = _page_field(query, 'PageNum')
    size = _page_field(query, 'PageSize', MAX_PAGE_SIZE)
    app, stream = _app_stream(query, required=False)
    return {
        'page': page,
        'size': size,
        'Vhost': _text(query, 'Vhost'),
        'Domain': _text(query, 'Domain'),
        'App': app,
        'Stream': stream,
        'QueryType': _choice(query, 'QueryType', QUERY_TYPES, 'strict'),
        'SourceType': _choice(query, 'SourceType', SOURCE_TYPES),
        'StreamType': _choice(query, 'StreamType', STREAM_TYPES),
    }


def check_state_query(query):
    """``(domain, vhost, app, stream)`` of a DescribeLiveStreamState query: exactly one of Domain and Vhost."""
    app, stream = _app_stream(query, required=True)
    domain, vhost = _text(query, 'Domain'), _text(query, 'Vhost')
    if bool(domain) == bool(vhost):
        raise rules.invalid('give exactly one of Domain and Vhost')
    return domain, vhost, app, stream


def _moment(body, key):
    """An RFC 3339 time to the second, as ``(Unix seconds, its timezone)``."""
    text = _required(body, key)
    if not RFC3339_RE.fullmatch(text):
        raise rules.invalid('%s must be an RFC 3339 time to the second, e.g. 2026-12-05T10:00:00+08:00' % key)
    try:
        moment = datetime.datetime.fromisoformat(text[:-1] + '+00:00' if text.endswith('Z') else text)
    except ValueError:
        raise rules.invalid('%s is not a valid time: %r' % (key, text)) from None
    return int(moment.timestamp()), ('Z' if text.endswith('Z') else moment.tzinfo)


def check_metrics(body, now):
    """The checked DescribeLiveSourceStreamMetrics body: Domain, App, Stream, the window and its timezone."""
    if not isinstance(body, dict):
        raise rules.bind_error('the body must be a JSON object')
    domain = _required(body, 'Domain')
    app, stream = _app_stream(body, required=True)
    (start, zone), (end, _zone) = _moment(body, 'StartTime'), _moment(body, 'EndTime')
    if end <= start:
        raise rules.invalid('EndTime must be later than StartTime')
    if end - start > MAX_METRICS_SPAN:
        raise rules.invalid('a query covers at most 1 day', 'InvalidParam.OutOfRange')
    if start < now - MAX_METRICS_AGE:
        raise rules.invalid('StartTime must be within the last 366 days', 'InvalidParam.OutOfRange')
    aggregation = body.get('Aggregation')
    if aggregation is not None:
        if isinstance(aggregation, bool) or not isinstance(aggregation, int):
            raise rules.bind_error('Aggregation must be an integer')
        if aggregation != AGGREGATION:
            raise rules.invalid('Aggregation must be %d, got %d' % (AGGREGATION, aggregation))
    return {
        'Domain': domain,
        'App': app,
        'Stream': stream,
        'StartTime': body['StartTime'],
        'EndTime': body['EndTime'],
        'start': start,
        'end': end,
        'zone': zone,
    }


# --- answers ----------------------------------------------------------------------------------------------------


def matches(stream, filters):
    """Whether a stream passes the listing's filters (its kind is the current session's)."""
    if filters['Vhost'] and stream['Vhost'].lower() != filters['Vhost'].lower():
        return False
    if filters['Domain'] and stream['Domain'].lower() != filters['Domain'].lower():
        return False
    if filters['App'] and stream['App'] != filters['App']:
        return False
    if filters['Stream']:
        fuzzy = filters['QueryType'] == 'fuzzy'
        if (filters['Stream'] not in stream['Stream']) if fuzzy else stream['Stream'] != filters['Stream']:
            return False
    return filters['StreamType'] != 'trans'


def listing(streams, filters, now):
    """The Result of DescribeLiveStreamInfoByPage."""
    online = [s for s in streams if session(s, now) and matches(s, filters)]
    if filters['SourceType']:
        online = [s for s in online if session(s, now)[2] == filters['SourceType']]
    first = (filters['page'] - 1) * filters['size']
    return {
        'RoughCount': len(online),
        'StreamInfoList': [list_item(s, now) for s in online[first : first + filters['size']]],
    }


def named(streams, domain, vhost, app, stream):
    """The streams a DescribeLiveStreamState query names: App and Stream, under ``domain`` or in ``vhost``."""
    return [
        s
        for s in streams
        if (s['App'], s['Stream']) == (app, stream)
        and (s['Domain'].lower() == domain.lower() if domain else s['Vhost'].lower() == vhost.lower())
    ]


def state_answer(candidates, now, never_seen):
    """The Result of DescribeLiveStreamState from the streams that match the query."""
    current = [session(s, now) for s in candidates if session(s, now)]
    if current:
        return {'stream_state': 'online', 'type': 'pull' if min(current)[2] == RELAY else 'push'}
    seen = [last_seen(s, now) for s in candidates if last_seen(s, now)]
    if not seen and never_seen == 'error':
        raise rules.ApiError(404, NEVER_SEEN_CODE, 'the stream has never been online')
    kind = max(seen)[2] if seen else RELAY
    return {'stream_state': 'offline', 'type': 'pull' if kind == RELAY else 'push'}


def _fraction(digest, index):
    return int.from_bytes(digest[index * 4 : index * 4 + 4], 'big') / 2.0**32


def sample(seed, when, started, zone):
    """One deterministic 30-second sample at ``when`` of a stream online since ``started``."""
    digest = hashlib.sha256(('%s@%d' % (seed, when)).encode('utf-8')).digest()
    gap = round(5 + 120 * _fraction(digest, 6), 2)
    video_pts = int((when - started) * 1000) + 29960
    moment = datetime.datetime.fromtimestamp(when, datetime.timezone.utc)
    stamp = moment.strftime('%Y-%m-%dT%H:%M:%SZ') if zone == 'Z' else moment.astimezone(zone).isoformat()
    return {
        'TimeStamp': stamp,
        'Bitrate': round(2400 + 400 * _fraction(digest, 0), 2),
        'Framerate': round(24 + 2 * _fraction(digest, 1), 2),
        'AudioBitrate': round(125 + 6 * _fraction(digest, 2), 2),
        'AudioFramerate': round(42.5 + 1.5 * _fraction(digest, 3), 2),
        'VideoFrameGap': round(40 + 80 * _fraction(digest, 4), 2),
        'AudioFrameGap': round(23 + 40 * _fraction(digest, 5), 2),
        'PtsDelta': gap,
        'VideoPts': video_pts,
        'AudioPts': video_pts - int(gap),
    }


def metric_list(stream, query, now):
    """One sample per 30 s on the 30 s grid within the window, while the stream was online by its fixed relays."""
    if stream is None:
        return []
    seed = '%s/%s/%s' % (stream['Domain'].lower(), stream['App'], stream['Stream'])
    first = -(-query['start'] // AGGREGATION) * AGGREGATION
    samples = []
    for when in range(first, query['end'] + 1, AGGREGATION):
        if when > now:
            break
        period = next((p for p in stream['relay'] if p[0] <= when < p[1]), None)
        if period:
            samples.append(sample(seed, when, period[0], query['zone']))
    return samples


def metrics_stream(streams, query):
    """The relayed stream a metrics query names: by App and Stream, its Domain one of the play domains of the
    stream's space (the page asks for the play domain; a push domain finds nothing). None when there is none (the
    answer is an empty MetricList)."""
    domain = query['Domain'].lower()
    for stream in streams:
        if (stream['App'], stream['Stream']) != (query['App'], query['Stream']) or not stream['relay']:
            continue
        if domain in stream['plays']:
            return stream
    return None


# --- the store: hosts marked down, the history, when tasks began ----------------------------------------------


def check_list_domain_detail(body):
    """ListDomainDetail's body: PageNum and PageSize (1-1000), optional VhostList and DomainTypeList."""
    page, size = body.get('PageNum'), body.get('PageSize')
    for key, value in (('PageNum', page), ('PageSize', size)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
            raise rules.ApiError(400, 'InvalidParam', '%s must be 1 to 1000' % key)
    filters = {}
    for key in ('VhostList', 'DomainTypeList'):
        value = body.get(key)
        if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
            raise rules.ApiError(400, 'InvalidParam', '%s must be a list of strings' % key)
        filters[key] = value
    return page, size, filters


def check_describe_domain(body):
    """DescribeDomain's body: ``DomainList``, 1 to 100 domain names (no page states a limit; the console's is 100)."""
    names = body.get('DomainList')
    if not isinstance(names, list) or not names or not all(isinstance(name, str) and name for name in names):
        raise rules.ApiError(400, 'InvalidParam', 'DomainList must be a list of domain names')
    if len(names) > 100:
        raise rules.ApiError(400, 'InvalidParam.OutOfRange', 'DomainList holds at most 100 domains')
    return names


def check_hosts(body):
    """``(down, up)`` of a ``POST /_sim/sources`` body: lists of hosts, lower case."""
    if not isinstance(body, dict) or not set(body) <= {'down', 'up'}:
        raise ValueError('POST /_sim/sources takes {"down": [HOST, ...], "up": [HOST, ...]}, got %r' % (body,))
    lists = []
    for key in ('down', 'up'):
        hosts = body.get(key, [])
        if not isinstance(hosts, list) or not all(isinstance(h, str) and HOST_RE.fullmatch(h) for h in hosts):
            raise ValueError('%s must be a list of host names, got %r' % (key, hosts))
        lists.append([h.lower() for h in hosts])
    return lists


class StreamStore:
    """Hosts marked down and up, the history of what was online, when each task began; in a JSON file."""

    def __init__(self, path=None):
        self.path = path
        self.lock = threading.Lock()
        self.events, self.history, self.since = {}, {}, {}
        if path and os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                data = json.load(handle)
            self.events = data.get('events', {})
            self.history = data.get('history', {})
            self.since = data.get('since', {})

    def _save(self):
        if not self.path:
            return
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(self.path)), prefix='.state-')
        with os.fdopen(fd, 'w', encoding='utf-8') as handle:
            json.dump({'events': self.events, 'history': self.history, 'since': self.since}, handle, indent=1)
        os.replace(tmp, self.path)

    def mark(self, down, up, now):
        """Mark hosts down, then hosts up, at ``now``; a host already so is left as it is."""
        with self.lock:
            for hosts, what in ((down, 'down'), (up, 'up')):
                for host in hosts:
                    events = self.events.setdefault(host, [])
                    if (events[-1][1] if events else 'up') != what:
                        events.append([max(now, events[-1][0]) if events else now, what])
            self._save()

    def host_events(self):
        with self.lock:
            return json.loads(json.dumps(self.events))

    def down_hosts(self):
        with self.lock:
            return sorted(host for host, events in self.events.items() if events and events[-1][1] == 'down')

    def archive(self, sources, now):
        """Keep what ``sources`` were online until ``now``, before a write changes or removes them."""
        with self.lock:
            for item in sources:
                past = [(start, min(end, now), item['kind']) for start, end in item['periods'] if start < now]
                if not past:
                    continue
                key = source_key(item)
                kept = self.history.get(key, source(item['kind'], item['domain'], item['app'], item['stream'], []))
                periods = [tuple(p) + (item['kind'],) for p in kept['periods']] + past
                kept['periods'] = [[start, end] for start, end, _kind in merge(periods)]
                self.history[key] = kept
            self._save()

    def past(self):
        with self.lock:
            return json.loads(json.dumps(list(self.history.values())))

    def started(self, task_id, now):
        """Note that task ``task_id`` began (again) at ``now``: created, updated or continued."""
        with self.lock:
            self.since[task_id] = now
            self._save()

    def began(self):
        with self.lock:
            return dict(self.since)

    def clear(self):
        with self.lock:
            self.events, self.history, self.since = {}, {}, {}
            self._save()
