# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Bring one pull-to-push task, or one group, to its desired state.

The shared loop (``_converge.converge``) owns the fault handling: a write whose outcome is open is followed by
a fresh look by title before anything is sent again, so a create whose answer was lost is found, not made twice.

A task converges in two steps, each looked up anew: its definition (create, update or delete), then its status
(stop or continue). No page says what an update does to a stopped task's status, so the status is always planned
from a look after the definition was written.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._converge import converge
from ansible_collections.volcengine.live.plugins.module_utils._planning import CREATE, DELETE, NO_CHANGE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_api import (
    ACTION_CONTINUE,
    ACTION_DELETE,
    ACTION_STOP,
    create_group,
    create_task,
    delete_group,
    list_groups,
    list_tasks,
    task_call,
    update_group,
    update_task,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_plan import (
    CONTINUE,
    STOP,
    TaskNotFound,
    definition_action,
    expected_after,
    group_action,
    pick_task,
    status_action,
)

_STATUS_CALLS = {STOP: ACTION_STOP, CONTINUE: ACTION_CONTINUE}
_STATUS_AFTER = {STOP: 'stopped', CONTINUE: 'running'}


class TaskVanished(Exception):
    """The task was not listed after a write that should have left it."""


class GroupNotEmpty(Exception):
    """A group to delete still holds tasks; ``task_ids`` names some of them."""

    def __init__(self, name, task_ids):
        super().__init__(
            'the pull-to-push group %s still holds %d task%s (TaskIds %s%s): delete them first '
            '(volcengine.live.pull_to_push_task with state=absent); nothing was deleted'
            % (
                name,
                len(task_ids),
                '' if len(task_ids) == 1 else 's',
                ', '.join(task_ids[:5]),
                ', ...' if len(task_ids) > 5 else '',
            )
        )
        self.task_ids = task_ids


class TaskOutcome:
    """What converging a task found and did."""

    def __init__(self, before):
        self.before = before  # the task found first (None: there was none)
        self.after = before  # the task as listed at the end (in check mode: as predicted)
        self.actions = []  # the writes made (in check mode: that would be made), in order
        self.request_id = None  # the last write's
        self.answer_lost = False

    @property
    def changed(self):
        return bool(self.actions)


def converge_task(client, desired, key, state, retry, check_mode=False):
    """Converge the task ``key`` (title, group, task_id) names to ``desired`` (normalised; None for absent).

    Returns a :class:`TaskOutcome`. Raises :class:`~._pull_to_push_plan.AmbiguousTitle` (before any write) when
    several tasks have the title, :class:`~._pull_to_push_plan.TaskNotFound` when a TaskId given is not a task of
    the group, and :class:`~._client.LiveApiError` (``after_write`` set when a write may have taken effect).
    """
    group = key['group']

    def look():
        found = list_tasks(client, group, None if key['task_id'] else key['title'])
        return pick_task(found, key)

    def plan(found):
        if found is None and key['task_id'] is not None and state != 'absent':
            raise TaskNotFound(
                'the group %s has no pull-to-push task %s; leave task_id out to create a new task titled %r'
                % (group, key['task_id'], key['title'])
            )
        return definition_action(found[0] if found else None, desired, state)

    def write(action, found):
        if action == CREATE:
            return create_task(client, desired)[1]
        task, item = found
        if action == UPDATE:
            return update_task(client, task['task_id'], desired, item)
        return task_call(client, ACTION_DELETE, task['task_id'], group)

    definition = converge(look, plan, write, retry, check_mode)
    first = definition.current[0] if definition.current else None
    outcome = TaskOutcome(first)
    if definition.changed:
        outcome.actions.append(definition.action)
    outcome.answer_lost = definition.answer_lost
    outcome.request_id = definition.answer
    if check_mode:
        _predict_status(outcome, first, desired, state, definition.action)
        return outcome
    try:
        _converge_status(outcome, client, look, definition, state, retry, group)
    except LiveApiError as error:
        error.after_write = error.after_write or outcome.changed
        raise
    return outcome


def _predict_status(outcome, first, desired, state, action):
    predicted = expected_after(first, desired, action) if action != DELETE else None
    if predicted is not None and state != 'absent':
        step = status_action(predicted['status'], state)
        if step != NO_CHANGE:
            outcome.actions.append(step)
            predicted['status'] = _STATUS_AFTER[step]
            predicted['state'] = 'stopped' if step == STOP else 'present'
    outcome.after = predicted


def _converge_status(outcome, client, look, definition, state, retry, group):
    if state == 'absent':
        outcome.after = None if definition.changed else outcome.before
        return
    # The first look still holds when nothing was written; after a write, look again.
    cached = [definition.current] if not definition.changed else []

    def look_status():
        return cached.pop() if cached else look()

    def plan(found):
        if found is None:
            raise TaskVanished(
                'the pull-to-push task titled %r was not listed in group %s after it was %s; check the console'
                % (definition.current[0]['title'] if definition.current else '', group, definition.action + 'd')
            )
        return status_action(found[0]['status'], state)

    def write(action, found):
        return task_call(client, _STATUS_CALLS[action], found[0]['task_id'], group)

    status = converge(look_status, plan, write, retry)
    if status.changed:
        outcome.actions.append(status.action)
        outcome.request_id = status.answer or outcome.request_id
        outcome.answer_lost = outcome.answer_lost or status.answer_lost
        found = look()
    else:
        found = status.current
    outcome.after = found[0] if found else None


def converge_group(client, desired, state, retry, check_mode=False):
    """Converge one pull-to-push group; return the Convergence (state: the group found, or None).

    A group is deleted only when no task is listed in it: :class:`GroupNotEmpty` names them otherwise.
    """
    name = desired['name']

    def look():
        for group in list_groups(client):
            if group['name'] == name:
                return group
        return None

    def refuse_if_held():
        held = [task['task_id'] for task, _item in list_tasks(client, name)]
        if held:
            raise GroupNotEmpty(name, held)

    def write(action, _found):
        if action == CREATE:
            return create_group(client, desired)
        if action == UPDATE:
            return update_group(client, desired)
        refuse_if_held()
        return delete_group(client, name)

    outcome = converge(look, lambda found: group_action(found, desired, state), write, retry, check_mode)
    if check_mode and outcome.action == DELETE:
        refuse_if_held()  # check mode says what a real run would: a refusal
    return outcome
