# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The ``relay_source`` module: its argument spec and what it does, in one definition."""

from __future__ import annotations

import time

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._connection import connect, connection_argument_spec
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_converge import (
    UpdateKeptTimeWindow,
    converge,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_plan import CREATE, NO_CHANGE, diff_view
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_rules import (
    normalize_relay_source,
    normalize_stream_key,
)
from ansible_collections.volcengine.live.plugins.module_utils._locks import converging, domain_key, stream_key
from ansible_collections.volcengine.live.plugins.module_utils._module import (
    ModuleDefinition,
    TaskFailed,
    api_failure,
    validated,
    warn_answer_lost,
)
from ansible_collections.volcengine.live.plugins.module_utils._rules import (
    READABLE_SUFFIX,
    WINDOW_KEYS,
    ValidationError,
    play_offset,
    with_readable_times,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    domain=dict(type='str', required=True),
    app=dict(type='str', required=True),
    stream=dict(type='str', required=True),
    src_addrs=dict(type='list', elements='str'),
    start_time=dict(type='raw'),
    end_time=dict(type='raw'),
    **{key + READABLE_SUFFIX: dict(type='raw') for key in WINDOW_KEYS},
)


def run(params, check_mode, diff, warn):
    """Converge one relay source; return the module result."""
    present = params['state'] == 'present'
    desired = validated(normalize_relay_source if present else normalize_stream_key, params)
    offset = play_offset(params)
    shown_desired = with_readable_times(desired, offset) if present else None
    result = dict(changed=True, task_id=None, request_id=None, relay_source=shown_desired)
    connection = connect(params, check_mode, warn)
    if connection is None:
        return result
    client, retry = connection
    locks = (
        domain_key(desired['domain'], exclusive=False),
        stream_key(desired['domain'], desired['app'], desired['stream']),
    )
    try:
        with converging(params, check_mode, warn, *locks):
            outcome = converge(
                client,
                desired,
                params['state'],
                retry,
                check_mode=check_mode,
                now=time.time(),
                offset=offset,
            )
    except ValidationError as exc:  # a window that is over, not found as it is: refused before any write
        raise TaskFailed(str(exc), option=exc.option, changed=False, relay_source=result['relay_source']) from exc
    except LiveApiError as exc:
        raise api_failure(exc, relay_source=result['relay_source']) from exc
    except UpdateKeptTimeWindow as exc:
        raise TaskFailed(
            str(exc), changed=True, relay_source=with_readable_times(exc.current, offset), request_id=exc.request_id
        ) from exc
    task_id, request_id = outcome.answer or (None, None)
    result.update(changed=outcome.changed, task_id=task_id, request_id=request_id)
    if present and outcome.action == NO_CHANGE:
        result['relay_source'] = with_readable_times(outcome.current, offset)
    if diff:
        result['diff'] = diff_view(outcome.current, desired, outcome.action, offset)
    if outcome.answer_lost:
        warn_answer_lost(
            warn, 'the stream', 'The task id of the create is unknown.' if outcome.action == CREATE else ''
        )
    return result


DEFINITION = ModuleDefinition('relay_source', ARGUMENT_SPEC, run, required_if=[('state', 'present', ('src_addrs',))])
