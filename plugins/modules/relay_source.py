#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: relay_source
short_description: Manage a fixed ("always pull") relay source on Volcengine Live
version_added: 0.1.0
description:
  - Makes sure a fixed relay-source configuration for one stream of a Volcengine Live pull domain exists as
    described, or does not exist. The CDN pulls such a stream from the listed source URLs whether or not anyone is
    watching, either permanently or within a time window of at most 7 days.
  - The module converges instead of blindly creating. It looks the stream up with C(ListRelaySourceV4) (paging through
    the domain 500 configurations at a time and stopping at the page that holds it), then creates it with
    C(CreateRelaySourceV4), updates it with C(UpdateRelaySourceV4) when O(src_addrs), O(start_time) or O(end_time)
    differ, deletes it with C(DeleteRelaySourceV4) for O(state=absent), or changes nothing.
  - Every rule the API documents is checked before any request is sent, and a violation fails the task with a
    message that names the option.
  - The C(TaskId) the API answers a create with is returned as RV(task_id).
extends_documentation_fragment:
  - volcengine.live.connection
  - volcengine.live.wait
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.actiongroups
  - ansible.builtin.action_common_attributes.flow
  - volcengine.live.attributes
attributes:
  check_mode:
    support: full
    details:
      - Check mode never writes. With credentials it makes the read-only lookup, so RV(ignore:changed) is exactly
        what a real run would report, given the configuration as it is now.
      - Check mode cannot know what the tasks before it in the play would have done (their changes were only
        predicted). It reports what this task would change from the service's present state.
      - Without credentials it validates every parameter, warns that it could not look up the current state, and
        reports RV(ignore:changed=true).
  diff_mode:
    support: full
    details:
      - Shows the configuration before and after, in check mode too.
  platform:
    platforms: all
  action_group:
    support: full
    membership:
      - volcengine.live.live
options:
  state:
    description:
      - V(present) creates the configuration, or updates it when it differs.
      - V(absent) deletes it when it exists.
    type: str
    choices: [present, absent]
    default: present
  domain:
    description:
      - The pull (playback) domain the stream is served on, for example V(pull.example.com).
      - Compared and returned in lower case.
    type: str
    required: true
  app:
    description:
      - The application name (the AppName part of the stream URL).
      - 1 to 30 characters of letters, digits, V(_), V(-) and V(.).
    type: str
    required: true
  stream:
    description:
      - The stream name (the StreamName part of the stream URL).
      - 1 to 100 characters of letters, digits, V(_), V(-) and V(.).
    type: str
    required: true
  src_addrs:
    description:
      - The source (origin) URLs to pull the stream from, 1 to 10 of them, each listed once.
      - The service tries them in the order given when a pull fails, so order matters.
      - "Supported schemes: V(rtmp://) (RTMP), V(http://) and V(https://) (FLV and HLS) and V(srt://) (SRT).
        A non-default port is written into the URL as C(host:port)."
      - Required with O(state=present); ignored with O(state=absent).
    type: list
    elements: str
  start_time:
    description:
      - Start of the relay window, as Unix seconds (V(1767261600)) or as an ISO 8601 timestamp with a UTC
        offset (V(2026-01-01T18:00:00+08:00) or V(2026-01-01T10:00:00Z)).
      - Give both O(start_time) and O(end_time), or neither for a permanent relay.
      - From 2000-01-01T00:00:00Z up to 2038-01-19T03:14:07Z (Unix seconds V(2147483647)), the latest time the API
        carries (a 32-bit integer).
      - Compared with the current configuration as Unix seconds, so the two formats are interchangeable.
    type: raw
  end_time:
    description:
      - End of the relay window, in the same formats as O(start_time).
      - Must be later than O(start_time) and at most 7 days after it.
      - A window that is over (O(end_time) in the past) is never written. A stream found with exactly that window
        is no change, so a rerun of the play after the window changes nothing; a create or a change fails before
        any write, naming O(end_time) and when it ended (ISO 8601 in the offset the play used, or UTC for Unix
        seconds, and Unix seconds). O(state=absent) deletes such a relay as any other.
    type: raw
  start_time_iso:
    description:
      - The readable copy of O(start_time) that results carry beside it (RV(relay_source.start_time_iso)), accepted
        so that a relay source the collection returned can be fed back as it is.
      - When given, it must name the same moment as O(start_time), which sets the window; given without
        O(start_time), the task fails naming this option.
    type: raw
  end_time_iso:
    description:
      - The readable copy of O(end_time), as for O(start_time_iso).
    type: raw
notes:
  - The API allows 10 requests per second per account.
  - A stream is identified by O(app) and O(stream) within O(domain), however the list API spells the domain of its
    items.
  - When O(start_time) and O(end_time) are left out for a stream that has a time window, the module looks the
    stream up again after the update; if the service kept the window, the task fails and says so.
  - The list API does not return task ids, so RV(task_id) is set only when this run created the configuration.
seealso:
  - module: volcengine.live.relay_source_info
  - name: CreateRelaySourceV4 API reference
    description: The Volcengine Live API this module calls.
    link: https://www.volcengine.com/docs/6469/1126875
author:
  - volcengine.live collection maintainers (@volcengine-live)
"""

EXAMPLES = r"""
- name: Relay a stream permanently from two origins (credentials from VOLCENGINE_* variables)
  volcengine.live.relay_source:
    domain: pull.example.com
    app: live
    stream: match-42
    src_addrs:
      - rtmp://origin-a.example.com/live/match-42
      - rtmp://origin-b.example.com:1936/live/match-42
  register: relay

- name: Show the task id of the new configuration (set only when this run created it)
  ansible.builtin.debug:
    msg: "Relay task {{ relay.task_id }}"
  when: relay.task_id is not none

- name: The same, and wait until the stream is online (the task fails, naming it, if it is not within 2 minutes)
  volcengine.live.relay_source:
    domain: pull.example.com
    app: live
    stream: match-42
    src_addrs:
      - rtmp://origin-a.example.com/live/match-42
      - rtmp://origin-b.example.com:1936/live/match-42
    wait: true
    wait_timeout: 120

- name: Remove the relay source
  volcengine.live.relay_source:
    domain: pull.example.com
    app: live
    stream: match-42
    state: absent

- name: Relay during an event window (at most 7 days), written as ISO 8601 times
  volcengine.live.relay_source:
    domain: pull.example.com
    app: live
    stream: concert
    src_addrs:
      - https://origin.example.com/live/concert.flv
    start_time: "{{ event_start }}"  # such as "2027-06-30T20:00:00+08:00"
    end_time: "{{ event_end }}"  # such as "2027-07-01T02:00:00+08:00"

- name: Set the connection once for a whole play with the action group
  module_defaults:
    group/volcengine.live.live:
      region: cn-north-1
      timeout: 20
  block:
    - name: Preview the change; check mode only reads
      volcengine.live.relay_source:
        domain: pull.example.com
        app: live
        stream: rehearsal
        src_addrs:
          - "srt://origin.example.com:9000?streamid=rehearsal"
      check_mode: true
"""

RETURN = r"""
task_id:
  description:
    - The C(TaskId) of the relay-source configuration, when this run created it.
    - V(null) when the configuration already existed, was updated or deleted, and in check mode.
  returned: always
  type: str
  sample: "1612345678901"
request_id:
  description:
    - The C(RequestId) of the write call (create, update or delete), to quote to Volcengine support.
    - V(null) when nothing was written.
  returned: always
  type: str
  sample: "20261124101500010010023228002D30"
relay_source:
  description:
    - The relay-source configuration as it is after the run (or would be, in check mode), normalised.
    - V(null) with O(state=absent).
  returned: always
  type: dict
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
        - RV(relay_source.start_time) as a person reads it, ISO 8601 in the UTC offset the task wrote its window in
          (UTC when it gave Unix seconds or no time); V(null) for a permanent relay.
      type: str
      returned: always
      sample: "2026-12-31T20:00:00+08:00"
    end_time_iso:
      description: RV(relay_source.end_time) as a person reads it, as for RV(relay_source.start_time_iso).
      type: str
      returned: always
      sample: "2027-01-01T02:00:00+08:00"
error:
  description: What the API answered when the call failed.
  returned: failure after a request was sent
  type: dict
  contains:
    action:
      description: The API action that failed.
      type: str
      returned: always
      sample: CreateRelaySourceV4
    code:
      description: The error code, as documented by the API, or a transport error such as C(Timeout).
      type: str
      returned: always
      sample: InvalidParam
    message:
      description: The service's error message.
      type: str
      returned: when the service sent one
    http_status:
      description: The HTTP status of the answer.
      type: int
      returned: when an answer arrived
      sample: 400
    attempts:
      description: How many attempts the call took (retries included).
      type: int
      returned: always
      sample: 1
    request_id:
      description:
        - The C(RequestId) of the look of O(wait) that failed; RV(request_id) stays the write's.
      type: str
      returned: when a look of O(wait) failed
delivery:
  description: What O(wait) found.
  returned: when O(wait=true) with O(state=present), not in check mode (also when a look failed, as RV(error) says)
  type: dict
  contains:
    online:
      description: What came online (C(app/stream)), in the order configured.
      type: list
      elements: str
      returned: always
      sample: [live/match-42]
    not_online:
      description:
        - What was still not online when O(wait_timeout) ran out, or when a look failed on a fault that will not pass
          (the task then failed).
      type: list
      elements: str
      returned: always
      sample: []
    not_open:
      description:
        - The relays not waited for because their window is not open (not yet, or over), each with when it opens
          or when it ended.
      type: list
      elements: str
      returned: always
      sample: []
    seconds:
      description: How long the wait took, in seconds.
      type: float
      returned: always
      sample: 4.1
    polls:
      description: How many times it looked.
      type: int
      returned: always
      sample: 3
option:
  description: The option whose value breaks a rule, when the task failed on it before any request was sent.
  returned: failure on an option's value
  type: str
  sample: end_time
"""

import time

from ansible_collections.volcengine.live.plugins.module_utils._core.connection import (
    client_from_params,
    connect,
    connection_argument_spec,
    retry_policy,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.locks import converging, domain_key, stream_key
from ansible_collections.volcengine.live.plugins.module_utils._core.module import (
    ModuleDefinition,
    TaskFailed,
    api_failure,
    run_as_module,
    validated,
    warn_answer_lost,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.planning import CREATE, NO_CHANGE
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    READABLE_SUFFIX,
    WINDOW_KEYS,
    ValidationError,
    play_offset,
    with_readable_times,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.converge import (
    UpdateKeptTimeWindow,
    converge_relay_source,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.plan import diff_view
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.rules import (
    normalize_relay_source,
    normalize_stream_key,
)
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.wait import (
    DEFAULT_WAIT_TIMEOUT,
    timed_out_message,
    validate_wait_timeout,
    wait_for_relays,
    wait_into,
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
    wait=dict(type='bool', default=False),
    wait_timeout=dict(type='int', default=DEFAULT_WAIT_TIMEOUT),
)


def run(params, check_mode, diff, warn):
    """Converge one relay source; return the module result."""
    present = params['state'] == 'present'
    desired = validated(normalize_relay_source if present else normalize_stream_key, params)
    validated(validate_wait_timeout, params)
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
            outcome = converge_relay_source(
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
    if params['wait'] and present and not check_mode:
        relay, timeout = result['relay_source'], params['wait_timeout']
        client = client_from_params(params, retry_policy(params), warn=warn)  # budgets of its own
        wait_into(
            result,
            lambda: wait_for_relays(client, relay['domain'], [relay], timeout, time.time()),
            lambda waited: timed_out_message('relay', waited, timeout),
            offset,
        )
    return result


DEFINITION = ModuleDefinition('relay_source', ARGUMENT_SPEC, run, required_if=[('state', 'present', ('src_addrs',))])


def main():
    run_as_module(DEFINITION)


if __name__ == '__main__':
    main()
