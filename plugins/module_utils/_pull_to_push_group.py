# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The ``pull_to_push_group`` module: its argument spec and what it does, in one definition."""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._connection import connect, connection_argument_spec
from ansible_collections.volcengine.live.plugins.module_utils._locks import converging, group_key
from ansible_collections.volcengine.live.plugins.module_utils._module import (
    ModuleDefinition,
    TaskFailed,
    api_failure,
    validated,
    warn_answer_lost,
)
from ansible_collections.volcengine.live.plugins.module_utils._planning import NO_CHANGE, diff_view
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_api import RATE_LIMITS
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_converge import (
    GroupNotEmpty,
    converge_group,
    held_text,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_rules import (
    DEFAULT_PROJECT,
    normalize_group,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    name=dict(type='str', required=True),
    project_name=dict(type='str', default=DEFAULT_PROJECT),
    tags=dict(type='dict'),
)


def _shown(group):
    return None if group is None else {key: group[key] for key in ('name', 'project_name', 'tags')}


def run(params, check_mode, diff, warn):
    """Converge one pull-to-push group; return the module result."""
    present = params['state'] == 'present'
    desired = validated(normalize_group, params, present)
    connection = connect(params, check_mode, warn, RATE_LIMITS)
    if connection is None:
        return dict(changed=True, group=desired if present else None, request_id=None)
    client, retry = connection
    try:
        with converging(params, check_mode, warn, group_key(desired['name'], exclusive=True)):
            outcome, held = converge_group(client, desired, params['state'], retry, check_mode=check_mode)
    except LiveApiError as exc:
        raise api_failure(exc) from exc
    except GroupNotEmpty as exc:
        raise TaskFailed(str(exc), task_ids=exc.task_ids) from exc
    current = _shown(outcome.current)
    after = None if not present else (current if outcome.action == NO_CHANGE else desired)
    result = dict(changed=outcome.changed, group=after, request_id=outcome.answer)
    if diff:
        result['diff'] = diff_view(
            current,
            desired,
            outcome.action,
            'pull-to-push group %s' % desired['name'],
        )
    if outcome.answer_lost:
        warn_answer_lost(warn, 'the group')
    if held:
        warn(
            'Check mode: %s. A real run deletes the group only if they are gone by then, deleted by an earlier task '
            'of the play (volcengine.live.pull_to_push_task with state=absent), and fails otherwise.'
            % held_text(desired['name'], held)
        )
    return result


DEFINITION = ModuleDefinition('pull_to_push_group', ARGUMENT_SPEC, run)
