# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The ``pull_to_push_task`` module: its argument spec and what it does, in one definition."""

from __future__ import annotations

import time

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._connection import connect, connection_argument_spec
from ansible_collections.volcengine.live.plugins.module_utils._locks import converging, group_key, task_key
from ansible_collections.volcengine.live.plugins.module_utils._module import (
    ModuleDefinition,
    TaskFailed,
    api_failure,
    validated,
    warn_answer_lost,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_api import RATE_LIMITS
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_converge import (
    GroupMissing,
    TaskVanished,
    converge_task,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_plan import (
    AmbiguousTitle,
    TaskNotFound,
    TitleTaken,
    diff_view,
    view,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_rules import (
    DEFAULT_GROUP,
    TYPES,
    normalize_task,
    normalize_task_key,
)
from ansible_collections.volcengine.live.plugins.module_utils._rules import (
    READABLE_SUFFIX,
    WINDOW_KEYS,
    ValidationError,
    play_offset,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    state=dict(type='str', default='present', choices=['present', 'stopped', 'absent']),
    title=dict(type='str', required=True),
    group=dict(type='str', default=DEFAULT_GROUP),
    task_id=dict(type='str'),
    type=dict(type='str', choices=list(TYPES)),
    source_url=dict(type='str'),
    source_urls=dict(type='list', elements='str'),
    vod_sources=dict(
        type='list',
        elements='dict',
        options=dict(
            url=dict(type='str', required=True),
            start_offset=dict(type='float'),
            end_offset=dict(type='float'),
        ),
    ),
    destination_url=dict(type='str'),
    domain=dict(type='str'),
    app=dict(type='str'),
    stream=dict(type='str'),
    start_time=dict(type='raw'),
    end_time=dict(type='raw'),
    **{key + READABLE_SUFFIX: dict(type='raw') for key in WINDOW_KEYS},
    callback_url=dict(type='str'),
    cycle_mode=dict(type='int'),
    play_times=dict(type='int'),
)


def run(params, check_mode, diff, warn):
    """Converge one pull-to-push task; return the module result."""
    state = params['state']
    key = validated(normalize_task_key, params)
    desired = validated(normalize_task, params) if state != 'absent' else None
    offset = play_offset(params)
    connection = connect(params, check_mode, warn, RATE_LIMITS)
    if connection is None:
        return dict(changed=True, actions=[], task_id=key['task_id'], task=view(desired, offset), request_id=None)
    client, retry = connection
    locks = (group_key(key['group'], exclusive=False), task_key(key['group'], key['title']))
    try:
        with converging(params, check_mode, warn, *locks):
            outcome = converge_task(
                client,
                desired,
                key,
                state,
                retry,
                time.time(),
                check_mode=check_mode,
                offset=offset,
            )
    except LiveApiError as exc:
        raise api_failure(exc, task=view(desired, offset)) from exc
    except ValidationError as exc:  # a window that is over, found nowhere: refused before any write
        raise TaskFailed(str(exc), option=exc.option, changed=exc.after_write) from exc
    except (AmbiguousTitle, TitleTaken) as exc:
        raise TaskFailed(str(exc), changed=exc.after_write, task_ids=exc.task_ids) from exc
    except TaskNotFound as exc:
        raise TaskFailed(str(exc), changed=exc.after_write) from exc
    except GroupMissing as exc:
        raise TaskFailed(str(exc), changed=exc.after_write, option='group') from exc
    except TaskVanished as exc:
        raise TaskFailed(str(exc), changed=True, task_id=exc.task_id) from exc
    if outcome.unknown:  # check mode could not tell which task the title means
        _warn_in_the_way(warn, outcome.in_the_way, key)
        return dict(changed=True, actions=[], task_id=key['task_id'], task=view(desired, offset), request_id=None)
    task = outcome.after if state != 'absent' else None
    found = outcome.after or outcome.before or {}
    result = dict(
        changed=outcome.changed,
        actions=outcome.actions,
        task_id=found.get('task_id') or key['task_id'],
        task=view(task, offset),
        request_id=outcome.request_id,
    )
    if diff:
        result['diff'] = diff_view(outcome.before, task, key, offset)
    if outcome.answer_lost:
        warn_answer_lost(warn, 'the task')
    if outcome.in_the_way is not None:
        _warn_in_the_way(warn, outcome.in_the_way, key)
    if outcome.group_missing:
        warn(
            'Check mode: the pull-to-push group %s does not exist (yet). A real run creates the task only if the group '
            'exists by then, made by an earlier task of the play (volcengine.live.pull_to_push_group with name=%s), '
            'and fails otherwise.' % (outcome.group_missing, outcome.group_missing)
        )
    if outcome.status_guessed:
        warn(
            'Check mode assumed that the update leaves the stopped task stopped; no page says whether an update '
            'resumes it. A real run looks again after the update and stops or continues the task as state says.'
        )
    if task is not None and task.get('status') == 'unknown':
        warn(
            'ListPullToPushTaskV2 gave the task a status the collection does not know (%r); its status was left '
            'as it is.' % task.get('status_text')
        )
    return result


def _warn_in_the_way(warn, error, key):
    """Check mode's warning for tasks of the group a real run would refuse to work around (``error``)."""
    ids = ', '.join(error.task_ids)
    if isinstance(error, AmbiguousTitle):
        warn(
            'Check mode: the group %s has %d pull-to-push tasks titled %r (TaskIds %s), so it could not tell which '
            'one is meant, nor what would change. A real run converges the task only if all but one of them are '
            'gone by then, deleted by an earlier task of the play (state=absent with task_id), and fails otherwise.'
            % (key['group'], len(error.task_ids), key['title'], ids)
        )
    else:
        warn(
            'Check mode: the group %s already has a pull-to-push task titled %r (TaskIds %s). A real run renames '
            'the task only if that one is gone by then, deleted by an earlier task of the play, and fails '
            'otherwise.' % (key['group'], key['title'], ids)
        )


# No mutually_exclusive: an item of pull_to_push_task_info holds every option, those that do not apply as null,
# and must be accepted as it is. The rules refuse two options of a pair that are both set, naming them.
DEFINITION = ModuleDefinition('pull_to_push_task', ARGUMENT_SPEC, run)
