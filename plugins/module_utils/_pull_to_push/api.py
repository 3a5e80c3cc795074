# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Pull-to-push tasks and their groups on the wire: the calls, and the format both ways.

The calls go through a :class:`_core.transport.LiveClient`. The mapping between the normalised task
(``_pull_to_push_rules``) and the request bodies and List answers is pure.

What the List answers carry that the writes do not take: times as RFC 3339 text (``2026-12-02T20:00:00+08:00``;
writes take Unix seconds), a status as Chinese text, and a destination on Live as a ``DstAddr`` URL (perhaps
with a push-auth query) or as ``Domain``/``App``/``Stream``; no page says which. Fields the collection does not
manage (a watermark, the continue strategy, pre-download, the legacy offsets) are sent back as they were found
on every update, since an update takes the whole record.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.paging import every_page, invalid_answer, list_page
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import ValidationError, parse_time

ACTION_CREATE = 'CreatePullToPushTask'
ACTION_UPDATE = 'UpdatePullToPushTask'
ACTION_STOP = 'StopPullToPushTask'
ACTION_CONTINUE = 'ContinuePullToPushTask'
ACTION_DELETE = 'DeletePullToPushTask'
ACTION_LIST = 'ListPullToPushTaskV2'
ACTION_LIST_GET = 'ListPullToPushTask'  # the older GET form: items carry no GroupName
ACTION_GROUP_CREATE = 'CreatePullToPushGroup'
ACTION_GROUP_UPDATE = 'UpdatePullToPushGroup'
ACTION_GROUP_DELETE = 'DeletePullToPushGroup'
ACTION_GROUP_LIST = 'ListPullToPushGroup'
# The documented limits that are not the usual 10 requests/s (for the pacing).
RATE_LIMITS = {ACTION_LIST: 15.0, ACTION_LIST_GET: 15.0}
PAGE_SIZE = 500
GROUP_PAGE_SIZE = 1000
TYPE_CODES = {'live': 0, 'vod': 1}
# Statuses as List spells them, and as the collection does.
STATUSES = {'停用': 'stopped', '未开始': 'not_started', '生效中': 'running', '已结束': 'ended'}
# What an update sends back as found: the fields the collection does not manage.
KEPT_FIELDS = ('ContinueStrategy', 'PreDownload', 'Watermark')


def _text(value):
    return '' if value is None else str(value)


def _seconds(value):
    """Unix seconds from a List time (RFC 3339 text, or a number), or None."""
    if value is None or value == '':
        return None
    try:
        return parse_time(value, 'time')
    except ValidationError:
        return None


def _number(value):
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _integer(value):
    number = _number(value)
    return int(number) if number is not None else None


def task_body(task, as_found=None):  # noqa: PLR0912 - one branch per optional field of a task's body
    """The CreatePullToPushTask body of a normalised task, or an Update's body (with ``as_found``, the List item
    the update is planned from: what the task does not say is sent as it was found)."""
    as_found = as_found or {}
    body = {
        'Title': task['title'],
        'GroupName': task['group'],
        'Type': TYPE_CODES[task['type']],
        'StartTime': task['start_time'],
        'EndTime': task['end_time'],
    }
    if task['type'] == 'live':
        body['SrcAddr'] = task['source_url']
    else:
        if task['source_urls'] is not None:
            body['SrcAddrS'] = list(task['source_urls'])
            if as_found.get('SrcAddrS') == body['SrcAddrS']:  # the legacy offsets go with those very files
                for key in ('Offset', 'OffsetS'):
                    if as_found.get(key) is not None:
                        body[key] = as_found[key]
        else:
            body['VodSrcAddrs'] = [
                dict(
                    {'SrcAddr': item['url']},
                    **{
                        name: item[key]
                        for name, key in (('StartOffset', 'start_offset'), ('EndOffset', 'end_offset'))
                        if item[key] is not None
                    },
                )
                for item in task['vod_sources']
            ]
        cycle = task['cycle_mode'] if task['cycle_mode'] is not None else _integer(as_found.get('CycleMode'))
        body['CycleMode'] = -1 if cycle is None else cycle
        times = task['play_times'] if task['play_times'] is not None else _integer(as_found.get('PlayTimes'))
        if times is not None:
            body['PlayTimes'] = times
    if task['destination_url'] is not None:
        body['DstAddr'] = task['destination_url']
    else:
        body.update(Domain=task['domain'], App=task['app'], Stream=task['stream'])
    callback = task['callback_url'] if task['callback_url'] is not None else as_found.get('CallbackURL')
    if callback:
        body['CallbackURL'] = callback
    for key in KEPT_FIELDS:
        if as_found.get(key) is not None:
            body[key] = as_found[key]
    return body


def _vod_from_api(item):
    urls = item.get('SrcAddrS')
    entries = item.get('VodSrcAddrs')
    if isinstance(entries, list) and entries:
        return None, [
            {
                'url': _text(entry.get('SrcAddr')),
                'start_offset': _number(entry.get('StartOffset')),
                'end_offset': _number(entry.get('EndOffset')),
            }
            for entry in entries
            if isinstance(entry, dict)
        ]
    if isinstance(urls, list):
        return [_text(url) for url in urls], None
    return [], None


def task_from_api(item, group=None):
    """The normalised task of one List item (``group``: the group asked for, when the item names none)."""
    kind = 'vod' if _integer(item.get('Type')) == 1 else 'live'
    task = {
        'task_id': _text(item.get('TaskId')),
        'title': _text(item.get('Title')),
        'group': _text(item.get('GroupName')) or group,
        'type': kind,
        'source_url': None,
        'source_urls': None,
        'vod_sources': None,
        'destination_url': None,
        'domain': None,
        'app': None,
        'stream': None,
        'start_time': _seconds(item.get('StartTime')),
        'end_time': _seconds(item.get('EndTime')),
        'callback_url': _text(item.get('CallbackURL')),
        'cycle_mode': _integer(item.get('CycleMode')) if kind == 'vod' else None,
        'play_times': _integer(item.get('PlayTimes')) if kind == 'vod' else None,
    }
    if kind == 'live':
        task['source_url'] = _text(item.get('SrcAddr'))
    else:
        task['source_urls'], task['vod_sources'] = _vod_from_api(item)
    if item.get('Domain') and item.get('App') and item.get('Stream'):
        task.update(domain=_text(item['Domain']).lower(), app=_text(item['App']), stream=_text(item['Stream']))
    else:
        task['destination_url'] = _text(item.get('DstAddr'))
    raw_status = _text(item.get('Status'))
    task['status'] = STATUSES.get(raw_status, 'unknown')
    task['status_text'] = raw_status
    task['state'] = 'stopped' if task['status'] == 'stopped' else 'present'
    return task


def list_tasks(client, group, title=None):
    """``(normalised task, List item)`` of every task of ``group`` (whose title contains ``title``), all pages."""

    def fetch(page):
        body = {'GroupNames': [group], 'Page': page, 'Size': PAGE_SIZE}
        if title:
            body['Title'] = title
        result, request_id = client.call(ACTION_LIST, body)
        return list_page(result, ACTION_LIST, 'pull-to-push tasks', request_id)

    return [(task_from_api(item, group), item) for item in every_page(fetch, PAGE_SIZE, ACTION_LIST)]


def create_task(client, task):
    """CreatePullToPushTask; return ``(task_id, request_id)``."""
    result, request_id = client.call(ACTION_CREATE, task_body(task), write=True)
    task_id = result.get('TaskId')
    if not task_id:
        raise invalid_answer(ACTION_CREATE, 'the answer carries no TaskId', request_id)
    return str(task_id), request_id


def update_task(client, task_id, task, as_found):
    """UpdatePullToPushTask of ``task_id`` with the whole record; return the request id."""
    body = dict(task_body(task, as_found), TaskId=task_id)
    return client.call(ACTION_UPDATE, body, write=True)[1]


def task_call(client, action, task_id, group):
    """StopPullToPushTask, ContinuePullToPushTask or DeletePullToPushTask of one task; return the request id."""
    return client.call(action, {'TaskId': task_id, 'GroupName': group}, write=True)[1]


def tags_to_api(tags):
    return [{'Key': key, 'Value': value} for key, value in sorted(tags.items())]


def group_from_api(item):
    tags = item.get('Tags') if isinstance(item.get('Tags'), list) else []
    return {
        'name': _text(item.get('Name')),
        'project_name': _text(item.get('ProjectName')),
        'tags': {_text(tag.get('Key')): _text(tag.get('Value')) for tag in tags if isinstance(tag, dict)},
        'status': item.get('Status'),
    }


def list_groups(client):
    """Every pull-to-push group (normalised), all pages."""

    def fetch(page):
        result, request_id = client.call(ACTION_GROUP_LIST, {'PageNum': page, 'PageSize': GROUP_PAGE_SIZE})
        items = list_page(result, ACTION_GROUP_LIST, 'pull-to-push groups', request_id)[0]
        # This List counts in Total, not in Pagination (is_last_page ignores a Total that is not a whole number).
        return items, {'TotalCount': result.get('Total')}

    return [group_from_api(item) for item in every_page(fetch, GROUP_PAGE_SIZE, ACTION_GROUP_LIST)]


def group_body(group):
    return {'Name': group['name'], 'ProjectName': group['project_name'], 'Tags': tags_to_api(group['tags'])}


def create_group(client, group):
    return client.call(ACTION_GROUP_CREATE, group_body(group), write=True)[1]


def update_group(client, group):
    return client.call(ACTION_GROUP_UPDATE, group_body(group), write=True)[1]


def delete_group(client, name):
    return client.call(ACTION_GROUP_DELETE, {'Name': name}, write=True)[1]
