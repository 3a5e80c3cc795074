# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Stream delivery on the wire: which streams are online (DescribeLiveStreamInfoByPage, GET), one stream's state
(DescribeLiveStreamState, GET) and a relayed stream's source metrics (DescribeLiveSourceStreamMetrics, POST).

The calls go through a :class:`_core.transport.LiveClient`; the mapping of queries and answers is pure. What the
answers carry that the rest of the API does not: times as RFC 3339 text with milliseconds, no ``Pagination`` (a page
shorter than asked is the last), and snake_case keys in DescribeLiveStreamState's result.
"""

from __future__ import annotations

import datetime
import math

from ansible_collections.volcengine.live.plugins.module_utils._core.paging import every_page, invalid_answer, objects

ACTION_LIST = 'DescribeLiveStreamInfoByPage'
ACTION_STATE = 'DescribeLiveStreamState'
ACTION_METRICS = 'DescribeLiveSourceStreamMetrics'
ACTION_DOMAIN = 'DescribeDomain'
ACTION_DOMAINS = 'ListDomainDetail'
PLAY_DOMAIN_TYPE = 'pull-flv'
# No page states these actions' limits: they are paced as every other action (10 requests/s).
RATE_LIMITS = {}
PAGE_SIZE = 1000
STATES = ('online', 'offline', 'forbidden')
STREAM_TYPES = {'push': 'push', 'pull': 'relay'}
# One sample per 30 s: the only aggregation the API offers.
AGGREGATION = 30
METRIC_FIELDS = (
    ('Bitrate', 'bitrate'),
    ('Framerate', 'framerate'),
    ('AudioBitrate', 'audio_bitrate'),
    ('AudioFramerate', 'audio_framerate'),
    ('VideoFrameGap', 'video_frame_gap'),
    ('AudioFrameGap', 'audio_frame_gap'),
    ('PtsDelta', 'pts_delta'),
    ('VideoPts', 'video_pts'),
    ('AudioPts', 'audio_pts'),
)
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def rfc3339_seconds(text):
    """Unix seconds (whole, rounded down) of an RFC 3339 timestamp such as ``2026-12-05T10:00:01.250Z``, or None
    for anything else. Pure."""
    if not isinstance(text, str) or not text.strip():
        return None
    value = text.strip()
    if value[-1:] in ('Z', 'z'):
        value = value[:-1] + '+00:00'
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return int((moment - _EPOCH).total_seconds() // 1)


def rfc3339(seconds):
    """Unix seconds as DescribeLiveSourceStreamMetrics takes them: RFC 3339 to the second, in UTC. Pure."""
    return (_EPOCH + datetime.timedelta(seconds=int(seconds))).strftime('%Y-%m-%dT%H:%M:%SZ')


# The filters of DescribeLiveStreamInfoByPage, by the collection's names.
LIST_FILTERS = (
    ('vhost', 'Vhost'),
    ('domain', 'Domain'),
    ('app', 'App'),
    ('stream', 'Stream'),
    ('source_type', 'SourceType'),
)


def list_query(page, filters):
    """The query of one page of DescribeLiveStreamInfoByPage: the ``filters`` given (by the names of
    :data:`LIST_FILTERS`; None or absent: not filtered), a stream matched exactly."""
    query = {'PageNum': page, 'PageSize': PAGE_SIZE}
    for name, key in LIST_FILTERS:
        if filters.get(name) is not None:
            query[key] = filters[name]
    if 'Stream' in query:
        query['QueryType'] = 'strict'
    return query


def online_from_api(item):
    """A normalised online stream of a DescribeLiveStreamInfoByPage item: ``vhost``, ``domain``, ``app``,
    ``stream``, ``source_type`` (``relay`` or ``push``) and ``session_start_time`` (Unix seconds, or None)."""
    source_type = item.get('SourceType')
    return {
        'vhost': _text(item.get('Vhost')),
        'domain': _text(item.get('Domain')).lower().rstrip('.'),
        'app': _text(item.get('App')),
        'stream': _text(item.get('Stream')),
        'source_type': source_type if source_type in ('relay', 'push') else _text(source_type) or 'unknown',
        'session_start_time': rfc3339_seconds(item.get('SessionStartTime')),
    }


def _text(value):
    return '' if value is None else str(value)


def iter_online(client, **filters):
    """Every online stream the ``filters`` select (those of :func:`list_query`), normalised, page after page."""

    def fetch(page):
        result, request_id = client.call(ACTION_LIST, list_query(page, filters), method='GET')
        items = result.get('StreamInfoList') or []
        if not objects(items):
            raise invalid_answer(ACTION_LIST, 'the answer is not a list of streams', request_id)
        return items, {}

    return (online_from_api(item) for item in every_page(fetch, PAGE_SIZE, ACTION_LIST))


def describe_domain(client, domain):
    """``(vhost, type)`` of one of the account's domains as DescribeDomain answers (the domain space it belongs to;
    ``push`` or ``pull-flv``), or ``(None, None)`` when the answer does not list it."""
    result, request_id = client.call(ACTION_DOMAIN, {'DomainList': [domain]})
    items = result.get('DomainList') or []
    if not objects(items):
        raise invalid_answer(ACTION_DOMAIN, 'the answer is not a list of domains', request_id)
    for item in items:
        if _text(item.get('Domain')).lower().rstrip('.') == domain and item.get('Vhost'):
            return _text(item['Vhost']), _text(item.get('Type')) or None
    return None, None


def space_domains(client, vhost, domain_type=None):
    """The domains of the domain space ``vhost`` (of ``domain_type`` only, when given), as ListDomainDetail lists
    them: the first page of 1000 (a space has a few)."""
    body = {'PageNum': 1, 'PageSize': PAGE_SIZE, 'VhostList': [vhost]}
    if domain_type is not None:
        body['DomainTypeList'] = [domain_type]
    result, request_id = client.call(ACTION_DOMAINS, body)
    items = result.get('DomainList') or []
    if not objects(items):
        raise invalid_answer(ACTION_DOMAINS, 'the answer is not a list of domains', request_id)
    return [
        _text(item.get('Domain')).lower().rstrip('.')
        for item in items
        if item.get('Domain') and (domain_type is None or item.get('Type') == domain_type)
    ]


def play_domains(client, vhost):
    """The play (pull) domains of the domain space ``vhost``."""
    return space_domains(client, vhost, PLAY_DOMAIN_TYPE)


def state_query(app, stream, domain=None, vhost=None):
    """The query of DescribeLiveStreamState: App, Stream and exactly one of Domain and Vhost."""
    query = {'App': app, 'Stream': stream}
    if domain is not None:
        query['Domain'] = domain
    else:
        query['Vhost'] = vhost
    return query


def state_from_api(result):
    """``{'state': 'online'|'offline'|'forbidden'|'unknown', 'source_type': 'relay'|'push'|None}`` of a
    DescribeLiveStreamState result, whose keys are snake_case (``stream_state``, ``type``)."""
    state, kind = result.get('stream_state'), result.get('type')
    return {
        'state': state if state in STATES else 'unknown',
        'source_type': STREAM_TYPES.get(kind),
    }


def describe_state(client, app, stream, domain=None, vhost=None):
    """One stream's state; ``(state, request_id)``."""
    result, request_id = client.call(ACTION_STATE, state_query(app, stream, domain, vhost), method='GET')
    return state_from_api(result), request_id


def metrics_body(key, start, end):
    """The DescribeLiveSourceStreamMetrics body of the stream ``key`` (domain, app, stream) from ``start`` to ``end``
    (Unix seconds)."""
    domain, app, stream = key
    return {
        'Domain': domain,
        'App': app,
        'Stream': stream,
        'StartTime': rfc3339(start),
        'EndTime': rfc3339(end),
        'Aggregation': AGGREGATION,
    }


def _number(value):
    """A metric as a finite float, or None (absent, not a number, NaN or infinite: nothing a play can compare)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def sample_from_api(item):
    """One 30 s sample of a MetricList: ``time`` (Unix seconds) and the metrics in snake_case (floats or None)."""
    sample = {'time': rfc3339_seconds(item.get('TimeStamp'))}
    for key, name in METRIC_FIELDS:
        sample[name] = _number(item.get(key))
    return sample


def source_metrics(client, key, start, end):
    """The samples of the relayed stream ``key`` (domain, app, stream) from ``start`` to ``end`` (Unix seconds),
    oldest first."""
    result, request_id = client.call(ACTION_METRICS, metrics_body(key, start, end))
    samples = result.get('MetricList') or []
    if not objects(samples):
        raise invalid_answer(ACTION_METRICS, 'the answer is not a list of samples', request_id)
    return sorted((sample_from_api(item) for item in samples), key=lambda sample: sample['time'] or 0)
