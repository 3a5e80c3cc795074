#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: play_relay_source
short_description: Manage one group of a Volcengine Live play-triggered relay (origin servers pulled on play)
version_added: 0.2.0
description:
  - Manages one named group of origin servers of the play-triggered relay (播放触发回源, RelaySourceV3) of a
    domain space (O(vhost)), or of one application of it (O(app)). When a viewer plays a stream the CDN does not
    have, it pulls the stream from these servers.
  - Looks the groups up with C(DescribeRelaySourceV3), creates or updates with C(UpdateRelaySourceV3) and deletes
    one group with C(DeleteRelaySourceV3). A change takes effect on the CDN in about 3 to 5 minutes.
  - Changing one group never removes or changes another group of the same Vhost and App, whatever
    C(UpdateRelaySourceV3) does with the groups it is not sent (no page says whether it keeps or replaces them).
    The module sends the whole list as it found it, with only this group changed, and looks again after the
    write. Deleting one group leaves the others; if the service took another group with it, the module sends
    that group again and warns.
  - A Vhost-wide configuration (no O(app)) and an application's are never confused.
  - Every documented rule is checked before any request is sent, and a violation names the option.
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
      - Check mode never writes. With credentials it makes the read-only lookup, so RV(ignore:changed) is exactly
        what a real run would report, given the groups as they are now.
      - Check mode cannot know what the tasks before it in the play would have done (their changes were only
        predicted), nor what the service refuses that no page documents (for example an App that also has a fixed
        relay source).
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
      - V(present) creates the group, or updates it when its servers differ.
      - V(absent) deletes the group when it exists.
    type: str
    choices: [present, absent]
    default: present
  vhost:
    description:
      - The domain space (Vhost) of the play-triggered relay (a domain name, or a name of letters, digits, C(_) and
        C(-), as DescribeDomain names it).
    type: str
    required: true
  app:
    description:
      - The application name (1 to 30 letters, digits, C(_), C(-) and C(.)). Without it, the group belongs to the
        configuration of the whole Vhost.
      - One revision of the API docs says an application cannot have both a fixed relay source
        (M(volcengine.live.relay_source)) and a play-triggered relay; if the service refuses for that reason, the
        error says so.
    type: str
  group:
    description:
      - The name of the group of origin servers; it identifies the group within the Vhost (and App).
    type: str
    required: true
  servers:
    description:
      - The origin servers of the group, 1 to 10, in the order the CDN tries them. Required with
        O(state=present).
    type: list
    elements: dict
    suboptions:
      address:
        description:
          - The origin's host name or IP address, with an optional C(:port) (an IPv6 address with a port is
            written C([address]:port)). No scheme and no path.
        type: str
        required: true
      protocol:
        description:
          - The protocol the CDN pulls with.
        type: str
        required: true
        choices: [rtmp, flv]
      params:
        description:
          - Query parameters for the origin, as a dictionary of strings (sent as C(RelaySourceParams)).
        type: dict
seealso:
  - module: volcengine.live.play_relay_source_info
  - module: volcengine.live.relay_source
author:
  - volcengine.live collection maintainers (@volcengine-live)
"""

EXAMPLES = r"""
- name: The whole Vhost pulls from two origins on play
  volcengine.live.play_relay_source:
    vhost: pull.example.com
    group: origin-main
    servers:
      - address: origin-a.example.com:1935
        protocol: rtmp
      - address: origin-b.example.com
        protocol: flv
        params:
          token: abc123

- name: One application pulls from its own origin
  volcengine.live.play_relay_source:
    vhost: pull.example.com
    app: event
    group: event-origin
    servers:
      - address: 203.0.113.10:1935
        protocol: rtmp

- name: Remove a group
  volcengine.live.play_relay_source:
    vhost: pull.example.com
    group: origin-old
    state: absent
"""

RETURN = r"""
play_relay_source:
  description:
    - The group as it is now (for V(present)), in the shape the module takes, so it can be passed back as it is.
    - V(null) for O(state=absent).
  returned: success
  type: dict
  contains:
    vhost:
      description: The Vhost, in lower case.
      type: str
      sample: pull.example.com
    app:
      description: The application name; V(null) for the configuration of the whole Vhost.
      type: str
      sample: event
    group:
      description: The group name.
      type: str
      sample: origin-main
    servers:
      description: The origin servers, in order, each with C(address), C(protocol) and C(params).
      type: list
      elements: dict
      sample: [{address: "origin-a.example.com:1935", protocol: rtmp, params: {}}]
request_id:
  description: The C(RequestId) of the write; V(null) when nothing was written.
  returned: success
  type: str
  sample: 20261202201500C0A80001AB12CD34EF
error:
  description: What the service answered, when a call failed.
  returned: failure
  type: dict
  contains:
    action:
      description: The API action that failed.
      type: str
    code:
      description: The error code, such as C(InvalidParam).
      type: str
    message:
      description: The service's message.
      type: str
    http_status:
      description: The HTTP status of the answer.
      type: int
    attempts:
      description: How many times the call was sent.
      type: int
groups:
  description: The groups a check after a write found lost or changed.
  returned: when that check failed
  type: list
  elements: str
option:
  description: The option whose value breaks a rule, when the task failed on it before any request was sent.
  returned: failure on an option's value
  type: str
  sample: end_time
"""

from ansible_collections.volcengine.live.plugins.module_utils._core.connection import connect, connection_argument_spec
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.locks import converging, vhost_key
from ansible_collections.volcengine.live.plugins.module_utils._core.module import (
    ModuleDefinition,
    TaskFailed,
    api_failure,
    run_as_module,
    validated,
    warn_answer_lost,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import NO_CHANGE
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.api import ACTION_UPDATE
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.converge import (
    WriteNotAsPlanned,
    conflict_hint,
    converge_play_relay_source,
)
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.plan import diff_view, find_group
from ansible_collections.volcengine.live.plugins.module_utils._play_relay.rules import (
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
            outcome, restored = converge_play_relay_source(
                client, desired, params['state'], retry, check_mode=check_mode
            )
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


def main():
    run_as_module(DEFINITION)


if __name__ == '__main__':
    main()
