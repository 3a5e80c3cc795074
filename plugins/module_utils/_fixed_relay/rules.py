# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Validation and normalisation of fixed relay-source (RelaySourceV4) parameters.

Pure functions: no I/O, no Ansible imports. Every rule the RelaySourceV4 API documents is checked here (the
rules Live's resources share are in ``_rules.py``), before any network call, and a violation raises
:class:`_core.rules.ValidationError` naming the option and the rule.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    APP_MAX,
    READABLE_SUFFIX,
    STREAM_MAX,
    WINDOW_KEYS,
    ValidationError,
    parse_time,
    play_offset,
    readable_copy_problems,
    validate_domain,
    validate_name,
    validate_url,
    validate_window,
)

SRC_ADDRS_MAX = 10
# Schemes of the documented source protocols: RTMP, FLV and HLS (over HTTP or HTTPS) and SRT.
SRC_SCHEMES = ('rtmp', 'http', 'https', 'srt')


def validate_src_addr(value, option='src_addrs'):
    """One source URL: a documented scheme, a host and an optional valid port."""
    return validate_url(
        value, option, SRC_SCHEMES, 'RTMP, FLV, HLS, SRT', 'rtmp://origin.example.com/live', in_list=True
    )


def validate_src_addrs(value, option='src_addrs'):
    """1 to 10 distinct source URLs, order kept (the service tries them in order)."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValidationError(option, 'must be a list of source URLs')
    if not value:
        raise ValidationError(option, 'must list at least one source URL')
    if len(value) > SRC_ADDRS_MAX:
        raise ValidationError(option, 'accepts at most %d source URLs, got %d' % (SRC_ADDRS_MAX, len(value)))
    addrs = [validate_src_addr(item, option) for item in value]
    seen = set()
    for addr in addrs:
        if addr in seen:
            raise ValidationError(option, 'lists %r more than once' % addr)
        seen.add(addr)
    return addrs


def normalize_stream_key(params):
    """Validate and normalise the ``domain``/``app``/``stream`` that identify one configuration."""
    return {
        'domain': validate_domain(params.get('domain')),
        'app': validate_name('app', params.get('app'), APP_MAX),
        'stream': validate_name('stream', params.get('stream'), STREAM_MAX),
    }


def normalize_relay_source(params):
    """Validate module parameters and return the normalised relay source.

    ``params`` holds ``domain``, ``app``, ``stream``, ``src_addrs`` and
    optionally ``start_time``/``end_time``. The result has exactly those keys,
    with times as int Unix seconds or ``None`` (permanent relay).
    """
    relay_source = normalize_stream_key(params)
    relay_source['src_addrs'] = validate_src_addrs(params.get('src_addrs'))
    times = {key: parse_time(params.get(key), key) for key in WINDOW_KEYS}
    relay_source['start_time'], relay_source['end_time'] = validate_window(
        times['start_time'], times['end_time'], play_offset(params)
    )
    for problem in readable_copy_problems(params, times):
        raise problem
    return relay_source


# The keys of one item of relay_sources; ``domain`` and the readable copies of the times are accepted so that what
# relay_source_info returns can be fed back in as it is.
RELAY_SOURCE_KEYS = ('app', 'stream', 'src_addrs', 'start_time', 'end_time', 'domain') + tuple(
    key + READABLE_SUFFIX for key in WINDOW_KEYS
)


def _item_label(index, item):
    """``relay_sources[3] (live/match-42)``, or without the names when they are not usable."""
    label = 'relay_sources[%d]' % index
    if isinstance(item, dict) and isinstance(item.get('app'), str) and isinstance(item.get('stream'), str):
        label += ' (%s/%s)' % (item['app'], item['stream'])
    return label


def _normalize_list_item(domain, item, present):
    """One item of relay_sources, normalised for ``domain``, and every rule it breaks.

    Returns ``(relay_source, problems)``: the normalised item (None when it breaks a rule), and one
    ValidationError, naming the option, for each option that breaks one (not only the first). With ``present``
    false only app and stream are needed.
    """
    if not isinstance(item, dict):
        return None, [ValidationError('relay_sources', 'each item must be a dictionary, got %s' % type(item).__name__)]
    problems = []

    def checked(check, *args):
        try:
            return check(*args)
        except ValidationError as exc:
            problems.append(exc)
            return None

    def required(option, check, *args):
        if item.get(option) is None:
            problems.append(ValidationError(option, 'is required'))
            return None
        return checked(check, item[option], *args)

    unknown = sorted(str(key) for key in item if key not in RELAY_SOURCE_KEYS)
    if unknown:
        problems.append(
            ValidationError(unknown[0], 'is not an option of an item (options: %s)' % ', '.join(RELAY_SOURCE_KEYS))
        )
    relay_source = {
        'domain': domain,
        'app': required('app', lambda value: validate_name('app', value, APP_MAX)),
        'stream': required('stream', lambda value: validate_name('stream', value, STREAM_MAX)),
    }
    if present:
        relay_source['src_addrs'] = required('src_addrs', validate_src_addrs)
        before = len(problems)
        times = {key: checked(parse_time, item.get(key), key) for key in WINDOW_KEYS}
        if len(problems) == before:
            relay_source['start_time'], relay_source['end_time'] = checked(
                validate_window, times['start_time'], times['end_time'], play_offset(item)
            ) or (None, None)
            problems.extend(readable_copy_problems(item, times))
    if item.get('domain') not in (None, ''):
        named = checked(validate_domain, item['domain'])
        if named is not None and named != domain:
            problems.append(ValidationError('domain', "names %s, not the task's domain %s" % (named, domain)))
    return (None if problems else relay_source), problems


def normalize_relay_source_list(domain, items, present=True):
    """Validate every item of relay_sources for the (normalised) ``domain``.

    Returns ``(relay_sources, problems)``: the normalised items in order, and one message for every rule an item
    breaks (``relay_sources[3] (live/match-42): src_addrs: ...``), all of them at once: every option of every
    item, and every app/stream listed twice (a problem of its second item, even when the first breaks a rule
    too). With ``present`` false only app and stream are needed.
    """
    if items is None:
        return [], []
    if isinstance(items, (str, dict)) or not isinstance(items, (list, tuple)):
        return [], ['relay_sources: must be a list of relay sources']
    normalised, problems, seen = [], [], {}
    for index, item in enumerate(items):
        label = _item_label(index, item)
        relay_source, broken = _normalize_list_item(domain, item, present)
        problems.extend('%s: %s' % (label, exc) for exc in broken)
        named = isinstance(item, dict) and isinstance(item.get('app'), str) and isinstance(item.get('stream'), str)
        key = (item['app'], item['stream']) if named else None
        if key in seen:
            problems.append('%s: lists the same app and stream as relay_sources[%d]' % (label, seen[key]))
            continue
        if key is not None:
            seen[key] = index
        if relay_source is not None:
            normalised.append(relay_source)
    return normalised, problems


def item_labels_and_offsets(items):
    """``{(app, stream): (label, offset)}`` of the items of relay_sources that name both: the label a message names
    the item by, and the UTC offset its window was written in (``_core.rules.play_offset``; None: Unix seconds).
    Pure."""
    found = {}
    for index, item in enumerate(items or []):
        if isinstance(item, dict) and isinstance(item.get('app'), str) and isinstance(item.get('stream'), str):
            key = (item['app'], item['stream'])
            found.setdefault(key, (_item_label(index, item), play_offset(item)))
    return found
