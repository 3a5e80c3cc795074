#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
---
module: relay_source_info
short_description: List the fixed relay sources of a Volcengine Live domain
version_added: 0.1.0
description:
  - Lists the fixed ("always pull") relay-source configurations of one pull domain with C(ListRelaySourceV4),
    reading every page, optionally filtered by O(app) and O(stream).
  - Each item has the same normalised shape that M(volcengine.live.relay_source) returns as RV(volcengine.live.relay_source#module:relay_source).
extends_documentation_fragment:
  - volcengine.live.connection
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
attributes:
  check_mode:
    support: full
    details:
      - The module only reads, in check mode as in a real run.
  diff_mode:
    support: N/A
    details:
      - The module changes nothing, so there is no difference to show.
  action_group:
    support: full
    membership:
      - volcengine.live.live
  platform:
    platforms: all
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
'''

EXAMPLES = r'''
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
'''

RETURN = r'''
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
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.volcengine.live.plugins.module_utils.client import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils.common import (
    client_from_module, connection_argument_spec, connection_option_error,
)
from ansible_collections.volcengine.live.plugins.module_utils.state import from_api_item
from ansible_collections.volcengine.live.plugins.module_utils.validation import (
    APP_MAX, STREAM_MAX, ValidationError, validate_domain, validate_name,
)


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        domain=dict(type='str', required=True),
        app=dict(type='str'),
        stream=dict(type='str'),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    try:
        domain = validate_domain(params['domain'])
        app = validate_name('app', params['app'], APP_MAX) if params['app'] is not None else None
        stream = validate_name('stream', params['stream'], STREAM_MAX) if params['stream'] is not None else None
    except ValidationError as exc:
        module.fail_json(msg=str(exc), option=exc.option)
    problem = connection_option_error(params)
    if problem:
        module.fail_json(msg=problem)

    client = client_from_module(module)
    try:
        items = [from_api_item(item) for item in client.iter_relay_sources(domain)]
    except LiveApiError as exc:
        module.fail_json(msg=str(exc), **exc.to_result())
    module.exit_json(changed=False, relay_sources=[
        item for item in items
        if (app is None or item['app'] == app) and (stream is None or item['stream'] == stream)])


if __name__ == '__main__':
    main()
