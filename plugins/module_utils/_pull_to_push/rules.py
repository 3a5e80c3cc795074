# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Validation and normalisation of pull-to-push task and group parameters.

Pure functions: no I/O, no Ansible imports. Every rule the pull-to-push API pages document is checked here
(the rules Live's resources share are in ``_rules.py``), before any network call, and a violation raises
:class:`_core.rules.ValidationError` naming the option and the rule.

A normalised task has the module's option names as keys (see :data:`TASK_KEYS`), so what the info module
returns can be fed back to ``pull_to_push_task``: times are Unix seconds, a VOD source is either
``source_urls`` or ``vod_sources`` (the other None), the destination either ``destination_url`` or
``domain``/``app``/``stream``.
"""

from __future__ import annotations

import math
import re

from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    APP_MAX,
    INT32_MAX,
    STREAM_MAX,
    WINDOW_KEYS,
    ValidationError,
    parse_time,
    play_offset,
    readable_copy_problems,
    require_printable,
    require_str,
    shown,
    validate_domain,
    validate_name,
    validate_text,
    validate_url,
    validate_window,
)

TYPES = ('live', 'vod')
TITLE_MAX = 20
GROUP_MAX = 20
DEFAULT_GROUP = 'default'
# The project a group belongs to when none is named.
DEFAULT_PROJECT = 'default'
SOURCE_URL_MAX = 1000
VOD_SOURCES_MAX = 30
CALLBACK_URL_MAX = 512
# A live source is pulled over RTMP, or as FLV or HLS over HTTP(S); VOD files are fetched over HTTP(S).
LIVE_SCHEMES = ('rtmp', 'http', 'https')
VOD_SCHEMES = ('http', 'https')
DESTINATION_SCHEMES = ('rtmp', 'rtmps')
# CycleMode: -1 loops until the task ends; 0 plays PlayTimes times; a positive value is a number of plays.
CYCLE_FOREVER = -1
TASK_KEYS = (
    'title',
    'group',
    'type',
    'source_url',
    'source_urls',
    'vod_sources',
    'destination_url',
    'domain',
    'app',
    'stream',
    'start_time',
    'end_time',
    'callback_url',
    'cycle_mode',
    'play_times',
)
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
PROJECT_MAX = 64

# Letters, digits and the CJK Unified Ideographs (with extension A and the compatibility block): what the API pages
# allow in a task's title and in a group's name alike.
_TITLE_RE = re.compile('[A-Za-z0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+')
_GROUP_RE = _TITLE_RE


def validate_title(value, option='title'):
    """1-20 Chinese characters, letters and digits: the task's identity within its group."""
    return validate_text(option, value, TITLE_MAX, _TITLE_RE, 'Chinese characters, letters and digits')


def validate_group_name(value, option='group'):
    """1-20 Chinese characters, letters and digits, as the API page of CreatePullToPushGroup says."""
    return validate_text(option, value, GROUP_MAX, _GROUP_RE, 'Chinese characters, letters and digits')


def validate_task_id(value, option='task_id'):
    value = require_str(option, value).strip()
    if not value:
        raise ValidationError(option, 'must not be empty')
    return value


def _given(value):
    return value is not None and value not in ([], '')


def _offset(value, option):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(require_str(option, value))
        except ValueError as exc:
            raise ValidationError(option, 'must be a number of seconds, got %s' % shown(value)) from exc
    if abs(value) > INT32_MAX or not math.isfinite(value):  # in this order: a huge int has no float
        raise ValidationError(option, 'must be a finite number of seconds up to %d, got %s' % (INT32_MAX, shown(value)))
    if value < 0:
        raise ValidationError(option, 'must not be negative, got %r' % value)
    return float(value)


def validate_vod_sources(value, option='vod_sources'):
    """1-30 items ``{url, start_offset, end_offset}``; offsets in seconds, the end after the start."""
    if not isinstance(value, (list, tuple)) or not value:
        raise ValidationError(option, 'must list at least one VOD file')
    if len(value) > VOD_SOURCES_MAX:
        raise ValidationError(option, 'accepts at most %d VOD files, got %d' % (VOD_SOURCES_MAX, len(value)))
    items = []
    for index, item in enumerate(value):
        where = '%s[%d]' % (option, index)
        if not isinstance(item, dict):
            raise ValidationError(where, 'must be a dict with url, and optionally start_offset and end_offset')
        unknown = sorted(set(item) - {'url', 'start_offset', 'end_offset'})
        if unknown:
            raise ValidationError(where, 'unknown keys %s; known: url, start_offset, end_offset' % ', '.join(unknown))
        url = validate_url(
            item.get('url'), where + '.url', VOD_SCHEMES, 'HTTP, HTTPS', 'https://vod.example.com/a.mp4', SOURCE_URL_MAX
        )
        start = _offset(item.get('start_offset'), where + '.start_offset')
        end = _offset(item.get('end_offset'), where + '.end_offset')
        if start is not None and end is not None and end <= start:
            raise ValidationError(where + '.end_offset', 'must be later than start_offset (%r <= %r)' % (end, start))
        items.append({'url': url, 'start_offset': start, 'end_offset': end})
    return items


def validate_source_urls(value, option='source_urls'):
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value:
        raise ValidationError(option, 'must list at least one VOD file URL')
    if len(value) > VOD_SOURCES_MAX:
        raise ValidationError(option, 'accepts at most %d URLs, got %d' % (VOD_SOURCES_MAX, len(value)))
    return [
        validate_url(
            item, option, VOD_SCHEMES, 'HTTP, HTTPS', 'https://vod.example.com/a.mp4', SOURCE_URL_MAX, in_list=True
        )
        for item in value
    ]


def _only_for(params, names, kind):
    for name in names:
        if _given(params.get(name)):
            raise ValidationError(name, 'applies only to type %s' % kind)


def _source(params, task):
    kind = params.get('type')
    if kind not in TYPES:
        raise ValidationError('type', 'is required to create or update a task: live or vod')
    task['type'] = kind
    task['source_url'] = task['source_urls'] = task['vod_sources'] = None
    task['cycle_mode'] = task['play_times'] = None
    if kind == 'live':
        _only_for(params, ('source_urls', 'vod_sources', 'cycle_mode', 'play_times'), 'vod')
        if not _given(params.get('source_url')):
            raise ValidationError('source_url', 'is required for a live task: the stream to pull')
        task['source_url'] = validate_url(
            params['source_url'],
            'source_url',
            LIVE_SCHEMES,
            'RTMP, FLV, HLS',
            'rtmp://origin.example.com/live/event',
            SOURCE_URL_MAX,
        )
        return
    _only_for(params, ('source_url',), 'live')
    urls, items = params.get('source_urls'), params.get('vod_sources')
    if _given(urls) and _given(items):
        raise ValidationError('vod_sources', 'give source_urls or vod_sources, not both')
    if _given(urls):
        task['source_urls'] = validate_source_urls(urls)
    elif _given(items):
        task['vod_sources'] = validate_vod_sources(items)
    else:
        raise ValidationError('source_urls', 'a vod task needs source_urls or vod_sources: the files to play')
    cycle = params.get('cycle_mode')
    if cycle is not None and (
        isinstance(cycle, bool) or not isinstance(cycle, int) or not CYCLE_FOREVER <= cycle <= INT32_MAX
    ):
        raise ValidationError(
            'cycle_mode', 'must be -1 (loop until the task ends), 0 or a positive number of plays up to %d' % INT32_MAX
        )
    task['cycle_mode'] = cycle
    times = params.get('play_times')
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or not 0 <= times <= INT32_MAX):
        raise ValidationError(
            'play_times', 'must be 0 or a positive number of plays up to %d, got %s' % (INT32_MAX, shown(times))
        )
    if cycle == 0 and not times:
        raise ValidationError('play_times', 'is required when cycle_mode is 0: how many times to play the files')
    task['play_times'] = times


def _destination(params, task):
    url = params.get('destination_url')
    fields = [name for name in ('domain', 'app', 'stream') if _given(params.get(name))]
    if _given(url) and fields:
        raise ValidationError('destination_url', 'give destination_url or domain/app/stream, not both')
    task['destination_url'] = task['domain'] = task['app'] = task['stream'] = None
    if _given(url):
        task['destination_url'] = validate_url(
            url, 'destination_url', DESTINATION_SCHEMES, 'RTMP', 'rtmp://push.example.net/live/event', SOURCE_URL_MAX
        )
        return
    if not fields:
        raise ValidationError('destination_url', 'a task needs a destination: destination_url, or domain/app/stream')
    for name in ('domain', 'app', 'stream'):
        if name not in fields:
            raise ValidationError(name, 'is required with %s: the Live stream to push to' % '/'.join(fields))
    task['domain'] = validate_domain(params['domain'])
    task['app'] = validate_name('app', params['app'], APP_MAX)
    task['stream'] = validate_name('stream', params['stream'], STREAM_MAX)


def validate_task_window(start_time, end_time, offset=None):
    """Both times required, and at most 7 days apart (``offset``: the one the task wrote them in, for messages)."""
    for name, value in (('start_time', start_time), ('end_time', end_time)):
        if value is None:
            raise ValidationError(name, 'is required: a pull-to-push task runs within a window of up to 7 days')
    return validate_window(start_time, end_time, offset)


def normalize_task_key(params):
    """The identity of a task: its title and group, and its TaskId when given."""
    return {
        'title': validate_title(params.get('title')),
        'group': validate_group_name(params.get('group') or DEFAULT_GROUP),
        'task_id': validate_task_id(params['task_id']) if _given(params.get('task_id')) else None,
    }


def normalize_task(params):
    """Validate the module parameters of a task that should exist; return the normalised task (with task_id).

    Whether its window is already over is for the plan to judge (``_core.rules.window_over``, the rule of every
    resource with a window): a rerun after the event finds the task with this very window, which is no change.
    """
    task = normalize_task_key(params)
    _source(params, task)
    _destination(params, task)
    times = {key: parse_time(params.get(key), key) for key in WINDOW_KEYS}
    task['start_time'], task['end_time'] = validate_task_window(
        times['start_time'], times['end_time'], play_offset(params)
    )
    for problem in readable_copy_problems(params, times):
        raise problem
    callback = params.get('callback_url')
    if isinstance(callback, str) and callback and not callback.strip():
        raise ValidationError('callback_url', 'must be a URL, or "" to remove the callback; got only white space')
    if _given(callback):
        callback = validate_url(
            callback,
            'callback_url',
            ('http', 'https'),
            'HTTP, HTTPS',
            'https://hooks.example.com/live',
            CALLBACK_URL_MAX,
        )
    task['callback_url'] = callback  # None: kept as it is; '': none
    return task


def normalize_tags(value, option='tags'):
    """A dict of tag keys to values (text); ``None`` is no tags."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(option, 'must be a dict of tag keys to values')
    tags = {}
    for raw_key, item in value.items():
        key = require_printable(option, require_str(option, raw_key))
        if not key or len(key) > TAG_KEY_MAX:
            raise ValidationError(option, 'tag keys must be 1 to %d characters, got %s' % (TAG_KEY_MAX, shown(key)))
        text = '' if item is None else item if isinstance(item, str) else None
        if text is None or len(text) > TAG_VALUE_MAX:
            raise ValidationError(
                '%s.%s' % (option, key), 'must be text of at most %d characters, got %s' % (TAG_VALUE_MAX, shown(item))
            )
        tags[key] = require_printable('%s.%s' % (option, key), text)
    return tags


def normalize_group(params, present=True):
    """Validate the parameters of ``pull_to_push_group``; return ``{name, project_name, tags}``."""
    group = {'name': validate_group_name(params.get('name'), 'name')}
    if present:
        project = require_printable(
            'project_name', require_str('project_name', params.get('project_name') or DEFAULT_PROJECT)
        )
        if len(project) > PROJECT_MAX or any(ch.isspace() for ch in project):
            raise ValidationError('project_name', 'must be a project name of at most %d characters' % PROJECT_MAX)
        group['project_name'] = project
        group['tags'] = normalize_tags(params.get('tags'))
    return group
