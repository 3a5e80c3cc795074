#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: play_relay_source_info
short_description: List the play-triggered relay of a Volcengine Live domain space
version_added: 0.2.0
description:
  - Lists the groups of origin servers of the play-triggered relay (RelaySourceV3) of a domain space (O(vhost)),
    or of one application (O(app)) or group (O(group)), with C(DescribeRelaySourceV3).
  - Without O(app), every configuration the service answers for the Vhost is listed, the Vhost-wide one (with
    RV(play_relay_sources[].app=null)) and, where the service answers them, the applications'.
  - Each item has the shape M(volcengine.live.play_relay_source) takes, so it can be passed back as it is.
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
  vhost:
    description:
      - The domain space (Vhost) whose play-triggered relay to list (a domain name, or a name of letters, digits,
        C(_) and C(-), as DescribeDomain names it).
    type: str
    required: true
  app:
    description:
      - Only list the groups of this application.
    type: str
  group:
    description:
      - Only list the groups of this name.
    type: str
seealso:
  - module: volcengine.live.play_relay_source
author:
  - volcengine.live collection maintainers (@volcengine-live)
"""

EXAMPLES = r"""
- name: List the play-triggered relay of a Vhost
  volcengine.live.play_relay_source_info:
    vhost: pull.example.com
  register: play_relay

- name: Apply the same groups to another Vhost
  volcengine.live.play_relay_source:
    vhost: pull2.example.com
    app: "{{ item.app }}"
    group: "{{ item.group }}"
    servers: "{{ item.servers }}"
  loop: "{{ play_relay.play_relay_sources }}"
"""

RETURN = r"""
play_relay_sources:
  description: The groups that match the filters, in the order the service answers them.
  returned: always
  type: list
  elements: dict
  contains:
    vhost:
      description: The Vhost, in lower case.
      type: str
      returned: always
      sample: pull.example.com
    app:
      description: The application name; V(null) for the configuration of the whole Vhost.
      type: str
      returned: always
      sample: event
    group:
      description: The group name.
      type: str
      returned: always
      sample: origin-main
    servers:
      description: The origin servers, in order, each with C(address), C(protocol) and C(params).
      type: list
      elements: dict
      returned: always
      sample: [{address: "origin-a.example.com:1935", protocol: rtmp, params: {}}]
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
    validate_name,
    validate_vhost,
)
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.api import describe
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.plan import in_scope
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.rules import validate_group

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    vhost=dict(type='str', required=True),
    app=dict(type='str'),
    group=dict(type='str'),
)


def _query(params):
    """The Vhost, and the App and group to keep (None: any), validated."""
    return (
        validate_vhost(params['vhost']),
        validate_name('app', params['app'], APP_MAX) if params['app'] else None,
        validate_group(params['group']) if params['group'] is not None else None,
    )


def run(params, check_mode, diff, warn):
    """List the play-triggered relay groups of a Vhost, or of one App or group; return the module result."""
    vhost, app, group = validated(_query, params)
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


def main():
    run_as_module(DEFINITION)


if __name__ == '__main__':
    main()
