# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Find a pull-to-push task by its identity, compare it with the desired one, and plan. Pure functions: no I/O.

The API has no natural key: a task is known by its TaskId, and titles are not unique. The collection's identity
is the title within a group (compared exactly: List's Title filter matches substrings), or the TaskId when one
is given. Two tasks of one title in a group are ambiguous: :func:`pick_task` refuses them, naming both.

A task's plan has two parts: its definition (create, update, delete) and its status (stop, continue), planned
in that order, each from what was looked up last.
"""

from __future__ import annotations

import struct

from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, DELETE, NO_CHANGE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    past_window_error,
    window_over,
    with_readable_times,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.rules import TASK_KEYS

STOP = 'stop'
CONTINUE = 'continue'


class AmbiguousTitle(Exception):
    """Several tasks of the group have the title; ``task_ids`` names them."""

    def __init__(self, title, group, task_ids):
        super().__init__(
            'the group %s has %d pull-to-push tasks titled %r (TaskIds %s): the title does not say which one is '
            'meant, so nothing was written. Pick one with task_id, and rename or delete the others'
            % (group, len(task_ids), title, ', '.join(task_ids))
        )
        self.task_ids = task_ids


class TaskNotFound(Exception):
    """The TaskId given is not a task of the group."""


class TitleTaken(Exception):
    """A rename would give the task the title of another task of the group; ``task_ids`` names those."""

    def __init__(self, title, group, task_ids):
        super().__init__(
            'the group %s already has a pull-to-push task titled %r (TaskIds %s): renaming another task to it would '
            'make the title ambiguous, so nothing was written' % (group, title, ', '.join(task_ids))
        )
        self.task_ids = task_ids


def rename_conflicts(found, key, picked):
    """The TaskIds of the other tasks of ``found`` that already have the title ``picked`` is to be renamed to."""
    if picked is None or picked['title'] == key['title']:
        return []
    return [task['task_id'] for task, _item in found if task['title'] == key['title'] and task is not picked]


def pick_task(found, key):
    """The ``(task, item)`` of ``found`` that ``key`` (title, group, task_id) names, or None.

    Raise :class:`AmbiguousTitle` when no TaskId is given and several tasks have the title.
    """
    if key['task_id'] is not None:
        for task, item in found:
            if task['task_id'] == key['task_id']:
                return task, item
        return None
    matches = [(task, item) for task, item in found if task['title'] == key['title']]
    if len(matches) > 1:
        raise AmbiguousTitle(key['title'], key['group'], [task['task_id'] for task, _item in matches])
    return matches[0] if matches else None


def _vod_key(task):
    if task.get('vod_sources') is not None:
        return [
            (item['url'], _rounded(item['start_offset']), _rounded(item['end_offset'])) for item in task['vod_sources']
        ]
    return [(url, None, None) for url in task.get('source_urls') or []]


def _rounded(value):
    # Offsets cross the API as 32-bit floats (the SDKs' float32): 1.1 comes back as 1.100000023841858, and
    # 40000.3 as 40000.30078125. Both sides are compared as the 32-bit float they become.
    return None if value is None else struct.unpack('<f', struct.pack('<f', value))[0]


def _live_from_url(url, with_query):
    """``(host, app, stream)`` of an rtmp://host/app/stream URL, or None."""
    scheme, sep, rest = (url or '').partition('://')
    if not sep or scheme.lower() not in ('rtmp', 'rtmps'):
        return None
    location, _sep, query = rest.partition('?')
    host, _sep, path = location.partition('/')
    parts = path.split('/')
    if len(parts) != 2 or not all(parts) or (query and not with_query):
        return None
    return host.lower(), parts[0], parts[1]


def same_destination(found, desired):
    """Whether the task found pushes where ``desired`` says.

    A destination on Live may come back as ``Domain``/``App``/``Stream`` or as an rtmp URL of them, perhaps with
    a push-auth query the service added; an RTMP destination of the task's own is compared as written.
    """
    if desired['destination_url'] is not None:
        if found['destination_url']:
            return found['destination_url'] == desired['destination_url']
        return _live_from_url(desired['destination_url'], False) == (found['domain'], found['app'], found['stream'])
    wanted = (desired['domain'], desired['app'], desired['stream'])
    if found['domain']:
        return (found['domain'], found['app'], found['stream']) == wanted
    return _live_from_url(found['destination_url'], True) == wanted


def differences(found, desired):
    """The names of the options in which the task found differs from ``desired`` (None there: kept as found)."""
    names = []
    if found['title'] != desired['title']:
        names.append('title')
    if found['type'] != desired['type']:
        names.append('type')
    elif desired['type'] == 'live' and found['source_url'] != desired['source_url']:
        names.append('source_url')
    elif desired['type'] == 'vod' and _vod_key(found) != _vod_key(desired):
        names.append('vod_sources' if desired['vod_sources'] is not None else 'source_urls')
    if not same_destination(found, desired):
        names.append('destination_url' if desired['destination_url'] is not None else 'domain/app/stream')
    for name in ('start_time', 'end_time', 'callback_url', 'cycle_mode', 'play_times'):
        if desired[name] is not None and (found[name] or None) != (desired[name] or None):
            if name in ('cycle_mode', 'play_times') and desired['type'] != 'vod':
                continue
            names.append(name)
    return names


def definition_action(found, desired, state, now, offset=None):
    """CREATE, UPDATE, DELETE or NO_CHANGE for the task found (or None) and the desired one, at ``now``.

    A desired window that is over allows no create and no update (:func:`_core.rules.past_window_error`, raised
    before any write, showing the times in ``offset``, the one the play wrote ``end_time`` in); a task found with
    exactly that window is no change.
    """
    if state == 'absent':
        return DELETE if found is not None else NO_CHANGE
    action = CREATE if found is None else UPDATE if differences(found, desired) else NO_CHANGE
    if action != NO_CHANGE and window_over(desired['end_time'], now):
        raise past_window_error(desired['end_time'], now, offset, 'A pull-to-push task')
    return action


def status_action(status, state, over=False):
    """STOP, CONTINUE or NO_CHANGE for a task of ``status`` that should be ``state`` (present or stopped).

    A task that has ended is no change either way: its window is over (or its files were played out), and
    continuing it cannot make it run. Nor is a task whose window is ``over`` by the controller's clock.
    """
    if over:
        return NO_CHANGE
    if state == 'stopped':
        return STOP if status in ('not_started', 'running') else NO_CHANGE
    return CONTINUE if status == 'stopped' else NO_CHANGE


def scheduled_status(task, now):
    """The status a running (not stopped) task of that window has at ``now``."""
    if now < task['start_time']:
        return 'not_started'
    return 'running' if now < task['end_time'] else 'ended'


def expected_after(found, desired, action, now):
    """The task as it should be listed after the definition write ``action`` at ``now``: what check mode predicts.

    After an update, a stopped task is predicted to stay stopped; no page says whether an update resumes it
    (the real run looks again, and stops or continues it as ``state`` says).
    """
    if action == DELETE:
        return None
    if action == NO_CHANGE:
        return dict(found)
    after = dict(found or {}, **{key: desired[key] for key in TASK_KEYS if desired[key] is not None})
    for key in TASK_KEYS:
        after.setdefault(key, desired[key])
    if action == CREATE:
        after.update(task_id=None, status_text='')
    if action == CREATE or after.get('status') != 'stopped':
        after['status'] = scheduled_status(after, now)
    after['state'] = 'stopped' if after['status'] == 'stopped' else 'present'
    return after


def view(task, offset=None):
    """A task as the --diff and the results show it: the option names, its TaskId, state and status, and each time
    also as a person reads it, in ``offset`` (``_core.rules.with_readable_times``; None: UTC)."""
    if task is None:
        return None
    return with_readable_times({key: task.get(key) for key in ('task_id',) + TASK_KEYS + ('state', 'status')}, offset)


def diff_view(before, after, key, offset=None):
    """``{'before': ..., 'after': ...}`` for --diff of a task (None: absent), with a header naming ``key``'s task
    and times also in ``offset``."""
    header = 'pull-to-push task %r, group %s' % (key['title'], key['group'])
    return {
        'before': view(before, offset) or {},
        'after': view(after, offset) or {},
        'before_header': header,
        'after_header': header,
    }


def group_action(found, desired, state):
    """CREATE, UPDATE, DELETE or NO_CHANGE for the group found (or None) and the desired one."""
    if state == 'absent':
        return DELETE if found is not None else NO_CHANGE
    if found is None:
        return CREATE
    same = found['project_name'] == desired['project_name'] and found['tags'] == desired['tags']
    return NO_CHANGE if same else UPDATE
