#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: relay_source_info
short_description: List the fixed relay sources of a Volcengine Live domain
version_added: 0.1.0
description:
  - Lists the fixed ("always pull") relay-source configurations of one pull domain with C(ListRelaySourceV4),
    reading every page, optionally filtered by O(app) and O(stream).
  - Each item has the same normalised shape that M(volcengine.live.relay_source) returns as
    RV(volcengine.live.relay_source#module:relay_source).
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
  domain:
    description:
      - The pull (playback) domain whose relay sources to list.
    type: str
    required: true
  app:
    description:
      - Only list the relay sources of this application name.
    type: str
  stream:
    description:
      - Only list the relay sources of this stream name.
    type: str
seealso:
  - module: volcengine.live.relay_source
author:
  - volcengine.live collection maintainers (@volcengine-live)
"""

EXAMPLES = r"""
- name: List every relay source of a domain
  volcengine.live.relay_source_info:
    domain: pull.example.com
  register: relays

- name: Show the streams that are relayed
  ansible.builtin.debug:
    msg: "{{ relays.relay_sources | map(attribute='stream') | list }}"

- name: Look one stream up
  volcengine.live.relay_source_info:
    domain: pull.example.com
    app: live
    stream: match-42
  register: one
"""

RETURN = r"""
relay_sources:
  description: The relay sources of the domain that match the filters, in the order the API lists them.
  returned: always
  type: list
  elements: dict
  contains:
    domain:
      description: The pull domain, in lower case.
      type: str
      returned: always
      sample: pull.example.com
    app:
      description: The application name.
      type: str
      returned: always
      sample: live
    stream:
      description: The stream name.
      type: str
      returned: always
      sample: match-42
    src_addrs:
      description: The source URLs, in the order the service tries them.
      type: list
      elements: str
      returned: always
      sample: [rtmp://origin-a.example.com/live/match-42]
    start_time:
      description: Start of the relay window in Unix seconds; V(null) for a permanent relay.
      type: int
      returned: always
      sample: 1798718400
    end_time:
      description: End of the relay window in Unix seconds; V(null) for a permanent relay.
      type: int
      returned: always
      sample: 1798740000
    start_time_iso:
      description:
        - RV(relay_sources[].start_time) as a person reads it, ISO 8601 in UTC; V(null) for a permanent relay.
        - Accepted back by M(volcengine.live.relay_sources) and M(volcengine.live.relay_source) beside the Unix
          seconds, so an item can be fed back as it is.
      type: str
      returned: always
      sample: "2026-12-31T12:00:00+00:00"
    end_time_iso:
      description: RV(relay_sources[].end_time) as a person reads it, ISO 8601 in UTC; V(null) for a permanent relay.
      type: str
      returned: always
      sample: "2026-12-31T18:00:00+00:00"
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
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    APP_MAX,
    STREAM_MAX,
    validate_domain,
    validate_name,
    with_readable_times,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import from_api_item, iter_relay_sources

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    domain=dict(type='str', required=True),
    app=dict(type='str'),
    stream=dict(type='str'),
)


def _query(params):
    """The domain, and the app and stream to keep (None: any), validated."""
    return (
        validate_domain(params['domain']),
        validate_name('app', params['app'], APP_MAX) if params['app'] is not None else None,
        validate_name('stream', params['stream'], STREAM_MAX) if params['stream'] is not None else None,
    )


def run(params, check_mode, diff, warn):
    """List the relay sources of a domain, optionally of one app or stream; return the module result."""
    domain, app, stream = validated(_query, params)
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


def main():
    run_as_module(DEFINITION)


if __name__ == '__main__':
    main()
