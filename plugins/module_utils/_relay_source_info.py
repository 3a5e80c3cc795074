# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the volcengine.live collection: not a public API, and it may change in any release.

"""The ``relay_source_info`` module: its argument spec and what it does, in one definition."""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._connection import connection_argument_spec, read_client
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_api import from_api_item, iter_relay_sources
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay_rules import STREAM_MAX
from ansible_collections.volcengine.live.plugins.module_utils._module import ModuleDefinition, TaskFailed, api_failure
from ansible_collections.volcengine.live.plugins.module_utils._rules import (
    APP_MAX,
    ValidationError,
    validate_domain,
    validate_name,
    with_readable_times,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    domain=dict(type='str', required=True),
    app=dict(type='str'),
    stream=dict(type='str'),
)


def run(params, check_mode, diff, warn):
    """List the relay sources of a domain, optionally of one app or stream; return the module result."""
    try:
        domain = validate_domain(params['domain'])
        app = validate_name('app', params['app'], APP_MAX) if params['app'] is not None else None
        stream = validate_name('stream', params['stream'], STREAM_MAX) if params['stream'] is not None else None
    except ValidationError as exc:
        raise TaskFailed(str(exc), option=exc.option) from exc
    client = read_client(params, warn)
    try:
        items = [from_api_item(item, domain) for item in iter_relay_sources(client, domain)]
    except LiveApiError as exc:
        raise api_failure(exc) from exc
    return dict(
        changed=False,
        relay_sources=[
            with_readable_times(item)
            for item in items
            if (app is None or item['app'] == app) and (stream is None or item['stream'] == stream)
        ],
    )


DEFINITION = ModuleDefinition('relay_source_info', ARGUMENT_SPEC, run)
