# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The ``play_relay_source`` module: its argument spec and what it does, in one definition."""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._connection import connect, connection_argument_spec
from ansible_collections.volcengine.live.plugins.module_utils._locks import converging, vhost_key
from ansible_collections.volcengine.live.plugins.module_utils._module import (
    ModuleDefinition,
    TaskFailed,
    api_failure,
    validated,
    warn_answer_lost,
)
from ansible_collections.volcengine.live.plugins.module_utils._planning import NO_CHANGE
from ansible_collections.volcengine.live.plugins.module_utils._play_relay_api import ACTION_UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._play_relay_converge import (
    WriteNotAsPlanned,
    conflict_hint,
    converge_group,
)
from ansible_collections.volcengine.live.plugins.module_utils._play_relay_plan import diff_view, find_group
from ansible_collections.volcengine.live.plugins.module_utils._play_relay_rules import (
    PROTOCOLS,
    normalize_group_key,
    normalize_play_relay_source,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    vhost=dict(type='str', required=True),
    app=dict(type='str'),
    group=dict(type='str', required=True),
    servers=dict(
        type='list',
        elements='dict',
        options=dict(
            address=dict(type='str', required=True),
            protocol=dict(type='str', required=True, choices=list(PROTOCOLS)),
            params=dict(type='dict'),
        ),
    ),
)


def run(params, check_mode, diff, warn):
    """Converge one group of a Vhost's (or an App's) play-triggered relay; return the module result."""
    present = params['state'] == 'present'
    desired = validated(normalize_play_relay_source if present else normalize_group_key, params)
    result = dict(changed=True, request_id=None, play_relay_source=desired if present else None)
    connection = connect(params, check_mode, warn)
    if connection is None:
        return result
    client, retry = connection
    try:
        with converging(params, check_mode, warn, vhost_key(desired['vhost'])):
            outcome, restored = converge_group(client, desired, params['state'], retry, check_mode=check_mode)
    except LiveApiError as exc:
        hint = conflict_hint(exc) if exc.action == ACTION_UPDATE and desired['app'] else None
        raise api_failure(exc, hint, play_relay_source=result['play_relay_source']) from exc
    except WriteNotAsPlanned as exc:
        raise TaskFailed(str(exc), changed=True, groups=exc.groups, request_id=exc.request_id) from exc
    current = find_group(outcome.current, desired['group'])
    result.update(changed=outcome.changed, request_id=outcome.answer)
    if present and outcome.action == NO_CHANGE:
        result['play_relay_source'] = current
    if diff:
        result['diff'] = diff_view(current, desired, outcome.action)
    if outcome.answer_lost:
        warn_answer_lost(warn, 'the group')
    if restored:
        warn(
            'DeleteRelaySourceV3 also removed or changed other groups (%s); they were sent again as they were.'
            % ', '.join(restored)
        )
    return result


DEFINITION = ModuleDefinition('play_relay_source', ARGUMENT_SPEC, run, required_if=[('state', 'present', ('servers',))])
