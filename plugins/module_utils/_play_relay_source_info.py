# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The ``play_relay_source_info`` module: its argument spec and what it does, in one definition."""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._connection import connection_argument_spec, read_client
from ansible_collections.volcengine.live.plugins.module_utils._module import ModuleDefinition, TaskFailed, api_failure
from ansible_collections.volcengine.live.plugins.module_utils._play_relay_api import describe
from ansible_collections.volcengine.live.plugins.module_utils._play_relay_plan import in_scope
from ansible_collections.volcengine.live.plugins.module_utils._play_relay_rules import validate_group
from ansible_collections.volcengine.live.plugins.module_utils._rules import (
    APP_MAX,
    ValidationError,
    validate_domain,
    validate_name,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    vhost=dict(type='str', required=True),
    app=dict(type='str'),
    group=dict(type='str'),
)


def run(params, check_mode, diff, warn):
    """List the play-triggered relay groups of a Vhost, or of one App or group; return the module result."""
    try:
        vhost = validate_domain(params['vhost'], option='vhost')
        app = validate_name('app', params['app'], APP_MAX) if params['app'] else None
        group = validate_group(params['group']) if params['group'] is not None else None
    except ValidationError as exc:
        raise TaskFailed(str(exc), option=exc.option) from exc
    client = read_client(params, warn)
    try:
        groups = describe(client, vhost, app)
    except LiveApiError as exc:
        raise api_failure(exc) from exc
    if app is not None:
        groups = in_scope(groups, app)
    return dict(
        changed=False,
        play_relay_sources=[item for item in groups if group is None or item['group'] == group],
    )


DEFINITION = ModuleDefinition('play_relay_source_info', ARGUMENT_SPEC, run)
