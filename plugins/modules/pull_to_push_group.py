#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pull_to_push_group
short_description: Manage a Volcengine Live pull-to-push group
version_added: 0.2.0
description:
  - Manages one group of pull-to-push tasks (M(volcengine.live.pull_to_push_task)), with its project and its tags.
    IAM sub-users must put every task in a group that exists.
  - Looks the groups up with C(ListPullToPushGroup), and creates, updates and deletes with
    C(CreatePullToPushGroup), C(UpdatePullToPushGroup) and C(DeletePullToPushGroup).
  - A group that still holds tasks is not deleted; the task fails and names them (no page says what the service
    would do with them). Delete the tasks first.
extends_documentation_fragment:
  - volcengine.live.connection
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
  - ansible.builtin.action_common_attributes.flow
  - volcengine.live.attributes
attributes:
  check_mode:
    support: full
    details:
      - Check mode never writes. With credentials it makes the read-only lookups, so RV(ignore:changed) is exactly
        what a real run would report.
      - Check mode cannot know what the tasks before it in the play would have done (their changes were only
        predicted). A group to delete that still holds tasks (which an earlier task of the play may delete) is
        reported as deleted, with a warning naming the tasks a real run needs gone first; a real run fails there
        and deletes nothing.
      - Without credentials it validates every parameter, warns that it could not look up the current state, and
        reports RV(ignore:changed=true).
  diff_mode:
    support: full
    details:
      - Shows the group before and after, in check mode too.
  platform:
    platforms: all
  action_group:
    support: full
    membership:
      - volcengine.live.live
options:
  state:
    description:
      - V(present) creates the group, or updates it when its project or tags differ.
      - V(absent) deletes the group when it exists and holds no task.
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - The group's name, 1 to 20 Chinese characters, letters and digits, as the API page of CreatePullToPushGroup
        allows.
    type: str
    required: true
  project_name:
    description:
      - The project the group belongs to.
    type: str
    default: default
  tags:
    description:
      - The group's tags, as a dictionary of keys to text values. The group gets exactly these tags.
    type: dict
seealso:
  - module: volcengine.live.pull_to_push_task
author:
  - volcengine.live collection maintainers (@volcengine-live)
"""

EXAMPLES = r"""
- name: A group for the event's restreams
  volcengine.live.pull_to_push_group:
    name: events
    tags:
      team: broadcast

- name: Remove the group once its tasks are gone
  volcengine.live.pull_to_push_group:
    name: events
    state: absent
"""

RETURN = r"""
group:
  description: The group as it is now (C(name), C(project_name), C(tags)); V(null) for O(state=absent).
  returned: success
  type: dict
  sample: {name: events, project_name: default, tags: {team: broadcast}}
request_id:
  description: The C(RequestId) of the write; V(null) when nothing was written.
  returned: success
  type: str
task_ids:
  description: The TaskIds of the tasks the group still holds, when a delete was refused.
  returned: failure
  type: list
  elements: str
error:
  description: What the service answered, when a call failed (C(action), C(code), C(message), C(http_status),
    C(attempts)).
  returned: failure
  type: dict
option:
  description: The option whose value breaks a rule, when the task failed on it before any request was sent.
  returned: failure on an option's value
  type: str
  sample: end_time
"""

from ansible_collections.volcengine.live.plugins.module_utils._core.connection import connect, connection_argument_spec
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.locks import converging, group_key
from ansible_collections.volcengine.live.plugins.module_utils._core.module import (
    ModuleDefinition,
    TaskFailed,
    api_failure,
    run_as_module,
    validated,
    warn_answer_lost,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import NO_CHANGE, planned_diff
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.api import RATE_LIMITS
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.converge import (
    GroupNotEmpty,
    converge_group,
    held_text,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.rules import (
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
        result['diff'] = planned_diff(
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


def main():
    run_as_module(DEFINITION)


if __name__ == '__main__':
    main()
