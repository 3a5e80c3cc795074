# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pull-to-push tasks (拉流转推) and their groups in the simulator: request rules, store and behaviours.

Written apart from the collection's own code on purpose, as ``rules.py`` is. A task is known by its ``TaskId``
(titles are not unique) and belongs to one group; the group ``default`` comes into being on first use. List
answers give the times as RFC 3339 strings in +08:00 and the status as a Chinese string computed from the
simulator's clock (``time.time()`` plus the configured ``clock_offset``) when it answers.

No page says what some requests do, so each of these is a mode (``POST /_sim/config``) and the collection is
tested against every one:

- ``pull_to_push_dst``: how a Live destination sent as ``Domain``/``App``/``Stream`` comes back in List: as the
  URL ``DstAddr`` ``rtmp://<domain>/<app>/<stream>`` (``url``), as the three fields with an empty ``DstAddr``
  (``fields``), or as that URL with a push-auth query ``?volcTime=<unix>&volcSecret=<32 hex>`` (``signed_url``);
  a ``DstAddr`` destination always comes back as sent;
- ``pull_to_push_vod_list``: whether VOD sources come back as they were sent (``as_sent``) or always as
  ``VodSrcAddrs`` items, ``SrcAddrS`` turned into items without offsets (``vod_src_addrs``);
- ``pull_to_push_update_status``: whether an update leaves a stopped task stopped (``keep``) or runs it again
  (``resume``);
- ``pull_to_push_group_delete``: whether deleting a group that still holds tasks is refused (``refuse``), deletes
  its tasks too (``cascade``), or removes the group only, its tasks staying with their old GroupName (``orphan``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import tempfile
import threading
import uuid

from . import rules

DST_MODES = ('url', 'fields', 'signed_url')
VOD_LIST_MODES = ('as_sent', 'vod_src_addrs')
UPDATE_STATUS_MODES = ('keep', 'resume')
GROUP_DELETE_MODES = ('refuse', 'cascade', 'orphan')
DEFAULT_GROUP = 'default'
LIVE, VOD = 0, 1
MAX_SRC_ADDR = 1000
MAX_VOD_SOURCES = 30
MAX_CALLBACK_URL = 512
MAX_GROUP_NAME = 20
MAX_TASK_PAGE = 500
DEFAULT_TASK_PAGE = 20
MAX_GROUP_PAGE = 1000
DEFAULT_GROUP_PAGE = 10
# 1 to 20 Chinese characters (CJK ideographs), letters or digits.
TITLE_RE = re.compile(r'[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]{1,20}')
# A group's name: the same characters, as the CreatePullToPushGroup page says.
GROUP_NAME_RE = re.compile(r'[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]{1,%d}' % MAX_GROUP_NAME)
# Kept and listed as sent, never checked: no page gives their rules.
PASSED_THROUGH = ('ContinueStrategy', 'PreDownload', 'Offset', 'OffsetS', 'Watermark')
STOPPED, NOT_STARTED, RUNNING, ENDED = '停用', '未开始', '生效中', '已结束'
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def _given(body, key):
    """Whether ``key`` carries a value; null and the empty string count as not sent (Go's omitempty)."""
    return body.get(key) not in (None, '')


def _string(body, key, limit=None):
    value = body[key]
    if not isinstance(value, str):
        raise rules.bind_error('%s must be a string' % key)
    if limit is not None and len(value) > limit:
        raise rules.invalid('%s must be at most %d characters' % (key, limit))
    return value


def _int(body, key, required=False, int32=False):
    """An integer field; ``None`` when absent. A JSON string or boolean cannot be bound to the typed field."""
    value = body.get(key)
    if value is None:
        if required:
            raise rules.invalid('%s is required' % key)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise rules.bind_error('%s must be an integer' % key)
    if int32 and not rules.INT32_MIN <= value <= rules.INT32_MAX:
        raise rules.bind_error('cannot unmarshal number %d into field %s of type int32' % (value, key))
    return value


def _address(value, key):
    if not isinstance(value, str):
        raise rules.bind_error('%s must be a string' % key)
    if not value:
        raise rules.invalid('%s must not be empty' % key)
    if len(value) > MAX_SRC_ADDR:
        raise rules.invalid('%s must be at most %d characters' % (key, MAX_SRC_ADDR))
    return value


def group_name(body, key='GroupName'):
    """The group a body names; absent or empty is ``default``."""
    if not _given(body, key):
        return DEFAULT_GROUP
    return _string(body, key)


def task_id(body):
    """The ``TaskId`` a body names (required)."""
    if not _given(body, 'TaskId'):
        raise rules.invalid('TaskId is required')
    return _string(body, 'TaskId')


def _vod_sources(body):
    """``(key, sources)`` of a VOD task: exactly one of SrcAddrS and VodSrcAddrs, each of 1 to 30 items."""
    plain, detailed = body.get('SrcAddrS') or None, body.get('VodSrcAddrs') or None
    if plain is not None and detailed is not None:
        raise rules.invalid('SrcAddrS and VodSrcAddrs cannot both be given')
    if plain is None and detailed is None:
        raise rules.invalid('a VOD task (Type 1) needs SrcAddrS or VodSrcAddrs')
    key, sources = ('SrcAddrS', plain) if plain is not None else ('VodSrcAddrs', detailed)
    if not isinstance(sources, list):
        raise rules.bind_error('%s must be an array' % key)
    if len(sources) > MAX_VOD_SOURCES:
        raise rules.invalid('%s accepts at most %d sources' % (key, MAX_VOD_SOURCES))
    if key == 'SrcAddrS':
        return key, [_address(source, 'SrcAddrS entry') for source in sources]
    checked = []
    for source in sources:
        if not isinstance(source, dict):
            raise rules.bind_error('each VodSrcAddrs item must be an object')
        if not _given(source, 'SrcAddr'):
            raise rules.invalid('each VodSrcAddrs item needs a SrcAddr')
        item = {'SrcAddr': _address(source['SrcAddr'], 'VodSrcAddrs SrcAddr')}
        for offset in ('StartOffset', 'EndOffset'):
            value = source.get(offset)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise rules.bind_error('VodSrcAddrs %s must be a number' % offset)
            item[offset] = value
        checked.append(item)
    return key, checked


def _destination(body):
    """``DstAddr`` (an RTMP URL), or ``Domain``, ``App`` and ``Stream`` when DstAddr is absent or empty."""
    if _given(body, 'DstAddr'):
        addr = _string(body, 'DstAddr')
        if not addr.lower().startswith('rtmp://') or len(addr) == len('rtmp://'):
            raise rules.invalid('DstAddr must be an RTMP address (rtmp://...): %r' % addr)
        return {'DstAddr': addr}
    missing = [key for key in ('Domain', 'App', 'Stream') if not _given(body, key)]
    if missing:
        raise rules.invalid('without DstAddr, Domain, App and Stream are required (missing %s)' % ', '.join(missing))
    return {key: _string(body, key) for key in ('Domain', 'App', 'Stream')}


def check_task(body, now=None):  # noqa: PLR0912 - one branch per rule of the API page, in the page's order
    """The stored form of a CreatePullToPushTask / UpdatePullToPushTask body (without TaskId).

    ``now`` (Unix seconds) refuses an EndTime that is not in the future; ``None`` skips that check (seeding).
    """
    if not isinstance(body, dict):
        raise rules.bind_error('the body must be a JSON object')
    task = {'GroupName': group_name(body)}
    if _given(body, 'Title'):
        title = _string(body, 'Title')
        if not TITLE_RE.fullmatch(title):
            raise rules.invalid('Title must be 1 to 20 Chinese characters, letters or digits: %r' % title)
        task['Title'] = title
    kind = _int(body, 'Type', required=True)
    if kind not in (LIVE, VOD):
        raise rules.invalid('Type must be 0 (live source) or 1 (VOD), got %r' % kind)
    task['Type'] = kind
    start = _int(body, 'StartTime', required=True, int32=True)
    end = _int(body, 'EndTime', required=True, int32=True)
    if end <= start:
        raise rules.invalid('EndTime must be later than StartTime')
    if end - start > rules.MAX_SPAN:
        raise rules.invalid('the span between StartTime and EndTime must be at most 7 days')
    if now is not None and end <= now:
        raise rules.invalid('EndTime %d is already in the past' % end)
    task['StartTime'], task['EndTime'] = start, end
    if kind == LIVE:
        if body.get('SrcAddrS') or body.get('VodSrcAddrs'):
            raise rules.invalid('SrcAddrS and VodSrcAddrs are for VOD tasks (Type 1); a live task takes SrcAddr')
        if not _given(body, 'SrcAddr'):
            raise rules.invalid('SrcAddr is required for a live task (Type 0)')
        task['SrcAddr'] = _address(body['SrcAddr'], 'SrcAddr')
    else:
        if _given(body, 'SrcAddr'):
            raise rules.invalid('SrcAddr is for live tasks (Type 0); a VOD task takes SrcAddrS or VodSrcAddrs')
        key, sources = _vod_sources(body)
        task[key] = sources
    cycle_mode = _int(body, 'CycleMode', required=kind == VOD)
    if cycle_mode is not None:
        task['CycleMode'] = cycle_mode
    play_times = _int(body, 'PlayTimes')
    if play_times is not None:
        if play_times < 0:
            raise rules.invalid('PlayTimes must be 0 or more')
        task['PlayTimes'] = play_times
    task.update(_destination(body))
    if body.get('CallbackURL') is not None:
        task['CallbackURL'] = _string(body, 'CallbackURL', MAX_CALLBACK_URL)
    for key in PASSED_THROUGH:
        if body.get(key) is not None:
            task[key] = json.loads(json.dumps(body[key]))
    return task


def group_key(body):
    """The ``Name`` of a group body: 1 to 20 characters."""
    if not _given(body, 'Name'):
        raise rules.invalid('Name is required')
    name = _string(body, 'Name')
    if not GROUP_NAME_RE.fullmatch(name):
        raise rules.invalid('Name must be 1 to %d Chinese characters, letters or digits: %r' % (MAX_GROUP_NAME, name))
    return name


def check_group(body):
    """The stored form of a CreatePullToPushGroup / UpdatePullToPushGroup body."""
    if not isinstance(body, dict):
        raise rules.bind_error('the body must be a JSON object')
    name = group_key(body)
    if not _given(body, 'ProjectName'):
        raise rules.invalid('ProjectName is required')
    group = {'Name': name, 'ProjectName': _string(body, 'ProjectName'), 'Tags': []}
    tags = body.get('Tags')
    if tags is None:
        tags = []
    if not isinstance(tags, list):
        raise rules.bind_error('Tags must be an array')
    for tag in tags:
        if not isinstance(tag, dict):
            raise rules.bind_error('each tag must be an object')
        if not _given(tag, 'Key'):
            raise rules.invalid('each tag needs a Key')
        checked = {key: _string(tag, key) for key in ('Key', 'Value', 'Category') if tag.get(key) is not None}
        group['Tags'].append(checked)
    return group


def _page_number(value, key, default, limit=None, text=False):
    """A paging field: a JSON integer, or with ``text`` (a GET's query string) its digits."""
    if value is None:
        return default
    if text and isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            raise rules.bind_error('%s must be an integer' % key) from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise rules.bind_error('%s must be an integer' % key)
    if value < 1 or (limit is not None and value > limit):
        raise rules.invalid('%s must be from 1 to %d' % (key, limit) if limit else '%s must be at least 1' % key)
    return value


def check_task_list(body, get=False):
    """``(groups or None, title, page, size)`` of ListPullToPushTaskV2 (a JSON body) or ListPullToPushTask (GET)."""
    if not isinstance(body, dict):
        raise rules.bind_error('the body must be a JSON object')
    if get:
        groups = [_string(body, 'GroupName')] if _given(body, 'GroupName') else None
    else:
        groups = body.get('GroupNames')
        if groups is not None and (not isinstance(groups, list) or not all(isinstance(g, str) for g in groups)):
            raise rules.bind_error('GroupNames must be an array of strings')
        groups = groups or None
    title = _string(body, 'Title') if body.get('Title') is not None else ''
    page = _page_number(body.get('Page'), 'Page', 1, text=get)
    size = _page_number(body.get('Size'), 'Size', DEFAULT_TASK_PAGE, MAX_TASK_PAGE, text=get)
    return groups, title, page, size


def check_group_list(body):
    """``(page, size)`` of ListPullToPushGroup; ``StatusList`` is accepted and ignored."""
    if not isinstance(body, dict):
        raise rules.bind_error('the body must be a JSON object')
    page = _page_number(body.get('PageNum'), 'PageNum', 1)
    size = _page_number(body.get('PageSize'), 'PageSize', DEFAULT_GROUP_PAGE, MAX_GROUP_PAGE)
    return page, size


def rfc3339(seconds):
    """Unix seconds as List answers them: RFC 3339 in +08:00, e.g. ``2026-12-02T20:00:00+08:00``."""
    return datetime.datetime.fromtimestamp(seconds, CHINA).isoformat()


def status(task, now):
    """The Chinese status string of a stored task at ``now`` (Unix seconds)."""
    if now >= task['EndTime']:
        return ENDED
    if task.get('stopped'):
        return STOPPED
    if now < task['StartTime']:
        return NOT_STARTED
    return RUNNING


def list_item(task, now, dst_mode='url', vod_mode='as_sent', with_group=True):
    """A stored task as List answers it, as the ``pull_to_push_dst`` and ``pull_to_push_vod_list`` modes say."""
    item = {'TaskId': task['TaskId'], 'Title': task.get('Title', '')}
    if with_group:
        item['GroupName'] = task['GroupName']
    item['Type'] = task['Type']
    for key in ('SrcAddr', 'SrcAddrS', 'VodSrcAddrs'):
        if key in task:
            item[key] = json.loads(json.dumps(task[key]))
    if vod_mode == 'vod_src_addrs' and 'SrcAddrS' in item:
        item['VodSrcAddrs'] = [{'SrcAddr': addr} for addr in item.pop('SrcAddrS')]
    if 'DstAddr' in task:
        item['DstAddr'] = task['DstAddr']
    else:
        url = 'rtmp://%s/%s/%s' % (task['Domain'], task['App'], task['Stream'])
        if dst_mode == 'fields':
            item.update({'DstAddr': '', 'Domain': task['Domain'], 'App': task['App'], 'Stream': task['Stream']})
        elif dst_mode == 'signed_url':
            secret = hashlib.md5(('%s%d' % (url, task['EndTime'])).encode('utf-8')).hexdigest()
            item['DstAddr'] = '%s?volcTime=%d&volcSecret=%s' % (url, task['EndTime'], secret)
        else:
            item['DstAddr'] = url
    for key in ('CallbackURL', 'CycleMode', 'PlayTimes', *PASSED_THROUGH):
        if key in task:
            item[key] = json.loads(json.dumps(task[key]))
    item['StartTime'] = rfc3339(task['StartTime'])
    item['EndTime'] = rfc3339(task['EndTime'])
    item['Status'] = status(task, now)
    return item


def _not_found(what):
    return rules.ApiError(404, 'ResourceNotFound', what)


class PullToPushStore:
    """Tasks (in creation order) and groups, kept in a JSON file of its own.

    A stored task is its checked definition plus ``TaskId`` and ``stopped``; times stay Unix seconds.
    """

    def __init__(self, path=None):
        self.path = path
        self.lock = threading.Lock()
        self.tasks = []
        self.groups = []
        if path and os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                data = json.load(handle)
            self.tasks = data.get('tasks', [])
            self.groups = data.get('groups', [])

    def _save(self):
        if not self.path:
            return
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(self.path)), prefix='.state-')
        with os.fdopen(fd, 'w', encoding='utf-8') as handle:
            json.dump(
                {'tasks': self.tasks, 'groups': self.groups}, handle, indent=1, sort_keys=True, ensure_ascii=False
            )
        os.replace(tmp, self.path)

    # --- under the lock ------------------------------------------------------

    def _group(self, name):
        return next((group for group in self.groups if group['Name'] == name), None)

    def _use_group(self, name):
        """Check that a task may go into group ``name``; ``default`` comes into being on first use."""
        if self._group(name) is not None:
            return
        if name != DEFAULT_GROUP:
            raise _not_found('the pull-to-push group %s does not exist' % name)
        self.groups.append({'Name': DEFAULT_GROUP, 'ProjectName': 'default', 'Tags': []})

    def _task(self, task_id, group=None):
        """The stored task ``task_id``; with ``group``, it must belong to that group."""
        task = next((task for task in self.tasks if task['TaskId'] == task_id), None)
        if task is None:
            raise _not_found('no pull-to-push task %s' % task_id)
        if group is not None and task['GroupName'] != group:
            raise rules.invalid('the task %s belongs to the group %s, not %s' % (task_id, task['GroupName'], group))
        return task

    # --- tasks ---------------------------------------------------------------

    def create(self, task):
        """Store a checked task; return its new TaskId."""
        with self.lock:
            self._use_group(task['GroupName'])
            new_id = uuid.uuid4().hex
            self.tasks.append(dict(task, TaskId=new_id, stopped=False))
            self._save()
            return new_id

    def seed(self, groups, tasks):
        """Add groups and tasks directly, not as API writes; each task may carry ``TaskId`` and ``stopped``.

        Everything is checked before anything is added. Returns the tasks' ids.
        """
        with self.lock:
            names = {group['Name'] for group in self.groups}
            for group in groups:
                if group['Name'] in names:
                    raise ValueError('the pull-to-push group %s already exists' % group['Name'])
                names.add(group['Name'])
            ids = {task['TaskId'] for task in self.tasks}
            for task in tasks:
                if task['GroupName'] not in names and task['GroupName'] != DEFAULT_GROUP:
                    raise ValueError('the pull-to-push group %s does not exist' % task['GroupName'])
                if task.get('TaskId') and task['TaskId'] in ids:
                    raise ValueError('the pull-to-push task %s already exists' % task['TaskId'])
                ids.add(task.get('TaskId'))
            self.groups.extend(dict(group) for group in groups)
            added = []
            for task in tasks:
                self._use_group(task['GroupName'])
                stored = dict(task, TaskId=task.get('TaskId') or uuid.uuid4().hex, stopped=bool(task.get('stopped')))
                self.tasks.append(stored)
                added.append(stored['TaskId'])
            self._save()
            return added

    def update(self, task_id, task, resume=False):
        """Replace a task's definition (its group is checked, never changed); ``resume`` clears ``stopped``."""
        with self.lock:
            stored = self._task(task_id, task['GroupName'])
            stopped = stored['stopped'] and not resume
            stored.clear()
            stored.update(task, TaskId=task_id, stopped=stopped)
            self._save()

    def set_stopped(self, task_id, group, stopped):
        with self.lock:
            self._task(task_id, group)['stopped'] = stopped
            self._save()

    def delete(self, task_id, group):
        with self.lock:
            task = self._task(task_id, group)
            self.tasks = [t for t in self.tasks if t is not task]
            self._save()

    def list(self, groups=None, title=''):
        """The tasks of ``groups`` (None: every group) whose Title contains ``title``, in creation order."""
        with self.lock:
            return [
                json.loads(json.dumps(task))
                for task in self.tasks
                if (groups is None or task['GroupName'] in groups) and title in task.get('Title', '')
            ]

    # --- groups --------------------------------------------------------------

    def create_group(self, group):
        with self.lock:
            if self._group(group['Name']) is not None:
                raise rules.invalid('the pull-to-push group %s already exists' % group['Name'])
            self.groups.append(dict(group))
            self._save()

    def update_group(self, group):
        with self.lock:
            stored = self._group(group['Name'])
            if stored is None:
                raise _not_found('the pull-to-push group %s does not exist' % group['Name'])
            stored.update(ProjectName=group['ProjectName'], Tags=list(group['Tags']))
            self._save()

    def delete_group(self, name, mode='refuse'):
        with self.lock:
            group = self._group(name)
            if group is None:
                raise _not_found('the pull-to-push group %s does not exist' % name)
            held = [task for task in self.tasks if task['GroupName'] == name]
            if held and mode == 'refuse':
                raise rules.invalid(
                    'the pull-to-push group %s still has %d task(s): delete them first' % (name, len(held))
                )
            if mode == 'cascade':
                self.tasks = [task for task in self.tasks if task['GroupName'] != name]
            self.groups = [g for g in self.groups if g is not group]
            self._save()

    def list_groups(self):
        with self.lock:
            return [dict(json.loads(json.dumps(group)), Status=1) for group in self.groups]

    # --- admin ---------------------------------------------------------------

    def snapshot(self):
        with self.lock:
            return json.loads(json.dumps({'tasks': self.tasks, 'groups': self.groups}))

    def clear(self):
        with self.lock:
            self.tasks = []
            self.groups = []
            self._save()
