# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""Bring one pull-to-push task, or one group, to its desired state.

The shared loop (``_core.converge.converge``) owns the fault handling: a write whose outcome is open is followed by
a fresh look by title before anything is sent again, so a create whose answer was lost is found, not made twice.
A create (of a task or a group) that got no answer saying whether it was carried out is never sent again: when
the looks after it do not find it, the task fails (``_core.converge.CreateOutcomeUnknown``) and a rerun converges.

A task converges in two steps, each looked up anew: its definition (create, update or delete), then its status
(stop or continue). No page says what an update does to a stopped task's status, so the status is always planned
from a look after the definition was written.
"""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._core.converge import converge
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, DELETE, NO_CHANGE, UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import ValidationError, window_over
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.api import (
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
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.plan import (
    CONTINUE,
    STOP,
    AmbiguousTitle,
    TaskNotFound,
    TitleTaken,
    definition_action,
    expected_after,
    group_action,
    pick_task,
    rename_conflicts,
    scheduled_status,
    status_action,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.rules import DEFAULT_GROUP

_STATUS_CALLS = {STOP: ACTION_STOP, CONTINUE: ACTION_CONTINUE}


class TaskVanished(Exception):
    """The task was not listed after a write that should have left it; ``task_id`` is the one a create gave."""

    def __init__(self, msg, task_id=None):
        super().__init__(msg)
        self.task_id = task_id


def held_text(name, task_ids):
    """``the pull-to-push group events still holds 2 tasks (TaskIds a, b)``: what a delete of the group waits for."""
    return 'the pull-to-push group %s still holds %d task%s (TaskIds %s%s)' % (
        name,
        len(task_ids),
        '' if len(task_ids) == 1 else 's',
        ', '.join(task_ids[:5]),
        ', ...' if len(task_ids) > 5 else '',
    )


class GroupNotEmpty(Exception):
    """A group to delete still holds tasks; ``task_ids`` names some of them."""

    def __init__(self, name, task_ids):
        super().__init__(
            '%s: delete them first (volcengine.live.pull_to_push_task with state=absent); nothing was deleted'
            % held_text(name, task_ids)
        )
        self.task_ids = task_ids


class GroupMissing(Exception):
    """A task is to be created in a group that does not exist (the service would answer ResourceNotFound)."""

    def __init__(self, name):
        super().__init__(
            'the pull-to-push group %s does not exist, so no task can be created in it: create the group first '
            '(volcengine.live.pull_to_push_group with name=%s, in an earlier task of the play), or name a group that '
            'exists; nothing was written' % (name, name)
        )
        self.group = name


def group_exists(client, name):
    """Whether the pull-to-push group ``name`` is listed (``default``, which the service makes on first use, is
    taken to exist)."""
    return name == DEFAULT_GROUP or any(group['name'] == name for group in list_groups(client))


class TaskOutcome:
    """What converging a task found and did."""

    def __init__(self, before):
        self.before = before  # the task found first (None: there was none)
        self.after = before  # the task as listed at the end (in check mode: as predicted)
        self.actions = []  # the writes made (in check mode: that would be made), in order
        self.request_id = None  # the last write's
        self.answer_lost = False
        self.status_guessed = False  # check mode assumed what an update does to a stopped task
        self.group_missing = None  # check mode: the group to create the task in, which does not exist (yet)
        self.in_the_way = None  # check mode: the refusal (AmbiguousTitle, TitleTaken) a real run would meet now
        self.unknown = False  # check mode could not plan (the title is ambiguous): the actions are not known

    @property
    def changed(self):
        return bool(self.actions)


def converge_task(  # noqa: PLR0913, PLR0915 - two parts converged one after the other (the definition, then the status), each from a fresh look
    client,
    desired,
    key,
    state,
    retry,
    now,
    check_mode=False,
    offset=None,
):
    """Converge the task ``key`` (title, group, task_id) names to ``desired`` (normalised; None for absent).

    ``now`` is the controller's clock (Unix seconds), which judges whether the desired window is over (``offset``:
    the one the play wrote ``end_time`` in, for the message). Returns a :class:`TaskOutcome`. Raises, before any
    write: :class:`_pull_to_push.plan.AmbiguousTitle` when several tasks have the title,
    :class:`_pull_to_push.plan.TitleTaken` when a rename would make it so,
    :class:`_pull_to_push.plan.TaskNotFound` when a TaskId given is not a task of the group, a
    :class:`_core.rules.ValidationError` when a window that is over would be written, and :class:`GroupMissing` when
    the task is to be created in a group that does not exist (in check mode the outcome's ``group_missing`` says so
    instead: an earlier task of the play may create the group). Any of them, a :class:`TaskVanished` or a
    :class:`_core.errors.LiveApiError` raised after a write that may have taken effect has ``after_write`` set.
    """
    group = key['group']
    created = {}
    group_found = {}  # looked up once, and only before a create
    in_the_way = []  # check mode: a rename conflict a real run would refuse now

    def conflicts(error):
        # Check mode does not refuse: an earlier task of the play may delete those tasks (its delete only
        # predicted). The module warns, naming them; a real run refuses if they are still there.
        if not check_mode:
            raise error
        in_the_way.append(error)

    def look():
        found = list_tasks(client, group, None if key['task_id'] else key['title'])
        picked = pick_task(found, key)
        taken = rename_conflicts(found, key, picked[0] if picked else None) if state != 'absent' else []
        if taken:
            conflicts(TitleTaken(key['title'], group, taken))
        return picked

    def plan(found):
        if found is None and key['task_id'] is not None and state != 'absent':
            raise TaskNotFound(
                'the group %s has no pull-to-push task %s; leave task_id out to create a new task titled %r'
                % (group, key['task_id'], key['title'])
            )
        action = definition_action(found[0] if found else None, desired, state, now, offset)
        if action == CREATE and group not in group_found:
            group_found[group] = group_exists(client, group)
            if not group_found[group] and not check_mode:
                raise GroupMissing(group)
        return action

    def write(action, found):
        if action == CREATE:
            created['task_id'], request_id = create_task(client, desired)
        else:
            task, item = found
            if action == UPDATE:
                request_id = update_task(client, task['task_id'], desired, item)
            else:
                request_id = task_call(client, ACTION_DELETE, task['task_id'], group)
        created['wrote'] = True  # answered: it was carried out (a write that failed says so itself)
        return request_id

    try:
        try:
            definition = converge(look, plan, write, retry, check_mode)
        except AmbiguousTitle as error:
            conflicts(error)
            outcome = TaskOutcome(None)
            outcome.in_the_way, outcome.unknown = error, True
            return outcome
        first = definition.current[0] if definition.current else None
        outcome = TaskOutcome(first)
        if definition.changed:
            outcome.actions.append(definition.action)
        outcome.answer_lost = definition.answer_lost
        outcome.request_id = definition.answer
        if check_mode:
            _predict_status(outcome, first, desired, state, definition.action, now)
            if group_found.get(group) is False:
                outcome.group_missing = group
            outcome.in_the_way = in_the_way[0] if in_the_way else None
            return outcome
        _converge_status(outcome, client, look, definition, key, state, retry, now, created.get('task_id'))
    except (
        LiveApiError,
        AmbiguousTitle,
        TitleTaken,
        TaskNotFound,
        TaskVanished,
        ValidationError,
        GroupMissing,
    ) as error:
        error.after_write = getattr(error, 'after_write', False) or bool(created.get('wrote'))
        raise
    return outcome


def _predict_status(  # noqa: PLR0913 - check mode's prediction from the first look and what is wanted
    outcome,
    first,
    desired,
    state,
    action,
    now,
):
    predicted = expected_after(first, desired, action, now) if action != DELETE else None
    if predicted is not None and state != 'absent':
        outcome.status_guessed = action == UPDATE and first is not None and first['status'] == 'stopped'
        step = status_action(predicted['status'], state, window_over(predicted['end_time'], now))
        if step != NO_CHANGE:
            outcome.actions.append(step)
            predicted['status'] = 'stopped' if step == STOP else scheduled_status(predicted, now)
            predicted['state'] = 'stopped' if step == STOP else 'present'
    outcome.after = predicted


def _converge_status(  # noqa: PLR0913 - the second part of converge_task, its state passed on
    outcome,
    client,
    look,
    definition,
    key,
    state,
    retry,
    now,
    created_id,
):
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
                'the pull-to-push task titled %r was not listed in group %s after it was %s%s; check the console'
                % (
                    key['title'],
                    key['group'],
                    'created' if definition.action == CREATE else 'updated',
                    ' (TaskId %s)' % created_id if created_id else '',
                ),
                created_id,
            )
        return status_action(found[0]['status'], state, window_over(found[0]['end_time'], now))

    def write(action, found):
        return task_call(client, _STATUS_CALLS[action], found[0]['task_id'], key['group'])

    status = converge(look_status, plan, write, retry)
    if status.changed:
        outcome.actions.append(status.action)
        outcome.request_id = status.answer or outcome.request_id
        outcome.answer_lost = outcome.answer_lost or status.answer_lost
        try:
            found = look()
        except LiveApiError as error:  # the stop or continue was carried out; the look after it failed
            error.after_write = True
            raise
    else:
        found = status.current
    outcome.after = found[0] if found else None


def converge_group(client, desired, state, retry, check_mode=False):
    """Converge one pull-to-push group; return the Convergence (state: the group found, or None) and, in check
    mode, the TaskIds of the tasks a delete would need gone first (an empty list otherwise).

    A group is deleted only when no task is listed in it: :class:`GroupNotEmpty` names them otherwise. Check mode
    does not fail there: an earlier task of the play may delete them (their delete was only predicted), so it
    reports the delete and returns the tasks, for the module to warn.
    """
    name = desired['name']

    def look():
        for group in list_groups(client):
            if group['name'] == name:
                return group
        return None

    def held():
        return [task['task_id'] for task, _item in list_tasks(client, name)]

    def refuse_if_held():
        task_ids = held()
        if task_ids:
            raise GroupNotEmpty(name, task_ids)

    def write(action, _found):
        if action == CREATE:
            return create_group(client, desired)
        if action == UPDATE:
            return update_group(client, desired)
        refuse_if_held()
        return delete_group(client, name)

    outcome = converge(look, lambda found: group_action(found, desired, state), write, retry, check_mode)
    if check_mode and outcome.action == DELETE:
        return outcome, held()  # what a real run needs gone first
    return outcome, []
