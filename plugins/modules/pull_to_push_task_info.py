#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pull_to_push_task_info
short_description: List the Volcengine Live pull-to-push (restream) tasks of some groups
version_added: 0.2.0
description:
  - Lists the pull-to-push tasks of one or more groups with C(ListPullToPushTaskV2), reading every page,
    optionally only those whose title contains O(title_contains).
  - Each item has the shape M(volcengine.live.pull_to_push_task) returns as
    RV(volcengine.live.pull_to_push_task#module:task), in the module's option names with times in Unix seconds
    (and beside them in ISO 8601, UTC), plus C(task_id), C(state) and the read-only C(status). Without C(status),
    an item can be passed back to M(volcengine.live.pull_to_push_task) as it is, its null options included.
extends_documentation_fragment:
  - volcengine.live.connection
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
  - ansible.builtin.action_common_attributes.flow
  - volcengine.live.attributes
  - volcengine.live.attributes.info
attributes:
  platform:
    platforms: all
  action_group:
    support: full
    membership:
      - volcengine.live.live
options:
  groups:
    description:
      - The groups whose tasks to list, in this order.
      - O(group), the name M(volcengine.live.pull_to_push_task) gives its one group, is an alias; one name is a
        list of one group.
    type: list
    elements: str
    default: [default]
    aliases: [group]
  title_contains:
    description:
      - Only list the tasks whose title contains this text (the service's own filter).
    type: str
seealso:
  - module: volcengine.live.pull_to_push_task
author:
  - volcengine.live collection maintainers (@volcengine-live)
"""

EXAMPLES = r"""
- name: List the tasks of the events group
  volcengine.live.pull_to_push_task_info:
    groups: [events]
  register: listed

- name: Show which restreams run now
  ansible.builtin.debug:
    msg: "{{ listed.pull_to_push_tasks | selectattr('status', 'eq', 'running') | map(attribute='title') | list }}"

- name: Apply the tasks again as they are listed (for example, from a saved copy)
  volcengine.live.pull_to_push_task:
    title: "{{ item.title }}"
    group: "{{ item.group }}"
    task_id: "{{ item.task_id }}"
    type: "{{ item.type }}"
    source_url: "{{ item.source_url | default(omit, true) }}"
    source_urls: "{{ item.source_urls | default(omit, true) }}"
    vod_sources: "{{ item.vod_sources | default(omit, true) }}"
    destination_url: "{{ item.destination_url | default(omit, true) }}"
    domain: "{{ item.domain | default(omit, true) }}"
    app: "{{ item.app | default(omit, true) }}"
    stream: "{{ item.stream | default(omit, true) }}"
    start_time: "{{ item.start_time }}"
    end_time: "{{ item.end_time }}"
    state: "{{ item.state }}"
  loop: "{{ listed.pull_to_push_tasks | rejectattr('status', 'eq', 'ended') }}"
  loop_control:
    label: "{{ item.title }}"
"""

RETURN = r"""
pull_to_push_tasks:
  description:
    - The tasks, group by group, in the order the API lists them. See
      RV(volcengine.live.pull_to_push_task#module:task) for the keys.
  returned: always
  type: list
  elements: dict
  sample:
    - task_id: 9f1c2d3e4b5a69788796a5b4c3d2e1f0
      title: launch2026
      group: default
      type: live
      source_url: rtmp://pull.example.com/live/launch
      source_urls: null
      vod_sources: null
      destination_url: rtmp://ingest.example.net/app/key
      domain: null
      app: null
      stream: null
      start_time: 1796211000
      start_time_iso: "2026-12-02T11:30:00+00:00"
      end_time: 1796221800
      end_time_iso: "2026-12-02T14:30:00+00:00"
      callback_url: ""
      cycle_mode: null
      play_times: null
      state: present
      status: running
option:
  description: The option whose value breaks a rule, when the task failed on it before any request was sent.
  returned: failure on an option's value
  type: str
  sample: end_time
error:
  description: What the service answered, when a call failed (C(action), C(code), C(message), C(http_status),
    C(attempts)).
  returned: failure after a request was sent
  type: dict
request_id:
  description: The C(RequestId) of the call that failed, to quote to Volcengine support.
  returned: failure after a request was sent
  type: str
"""

from ansible_collections.volcengine.live.plugins.module_utils._core.connection import (
    connection_argument_spec,
    read_client,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.module import (
    ModuleDefinition,
    api_failure,
    run_as_module,
    validated,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import require_str
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.api import RATE_LIMITS, list_tasks
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.plan import view
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.rules import (
    DEFAULT_GROUP,
    validate_group_name,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    # A list under the plural name, the singular as alias: `group: events` reads as pull_to_push_task's option.
    groups=dict(type='list', elements='str', default=[DEFAULT_GROUP], aliases=['group']),
    title_contains=dict(type='str'),
)


def _groups(names):
    if not names:
        return [DEFAULT_GROUP]
    return list(dict.fromkeys(validate_group_name(name, 'groups') for name in names))


def run(params, check_mode, diff, warn):
    """List the pull-to-push tasks of some groups, all pages; return the module result."""
    groups = validated(_groups, params['groups'])
    contains = validated(require_str, 'title_contains', params['title_contains']) if params['title_contains'] else None
    client = read_client(params, warn, RATE_LIMITS)
    tasks = []
    try:
        for group in groups:
            tasks.extend(task for task, _item in list_tasks(client, group, contains))
    except LiveApiError as exc:
        raise api_failure(exc) from exc
    return dict(changed=False, pull_to_push_tasks=[view(task) for task in tasks])


DEFINITION = ModuleDefinition('pull_to_push_task_info', ARGUMENT_SPEC, run)


def main():
    run_as_module(DEFINITION)


if __name__ == '__main__':
    main()
