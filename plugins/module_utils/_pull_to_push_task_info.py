# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The ``pull_to_push_task_info`` module: its argument spec and what it does, in one definition."""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._connection import connection_argument_spec, read_client
from ansible_collections.volcengine.live.plugins.module_utils._module import ModuleDefinition, api_failure, validated
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_api import RATE_LIMITS, list_tasks
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_plan import view
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push_rules import (
    DEFAULT_GROUP,
    validate_group_name,
)
from ansible_collections.volcengine.live.plugins.module_utils._rules import require_str

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
