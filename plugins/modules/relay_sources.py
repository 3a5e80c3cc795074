#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: relay_sources
short_description: Manage all fixed relay sources of a Volcengine Live domain in one task
version_added: 0.2.0
description:
  - Makes the fixed ("always pull") relay-source configurations of one pull domain match a list, in one task. Reads
    the domain's configurations once with C(ListRelaySourceV4) (500 a page), plans every change at once, and sends
    only the writes the plan needs.
  - Creates (C(CreateRelaySourceV4)), updates (C(UpdateRelaySourceV4)) and deletes (C(DeleteRelaySourceV4)) run side
    by side, each action paced at the API's limit of 10 requests per second, which holds per action.
  - With O(purge=true), the domain's configurations that the list does not name are deleted; O(purge_apps) limits
    that to some applications.
  - Every item is validated before any request, and every problem is reported at once, each naming the item and
    the option (every option of every item, and every app/stream listed twice).
  - Use M(volcengine.live.relay_source) for one stream at a time; use this module for a list of streams, above all
    a whole domain kept in a vars file or an inventory and applied again on a schedule.
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
      - Check mode reads the domain and reports the exact plan (RV(created), RV(updated), RV(deleted)) without
        writing anything, given the domain as it is now.
      - Check mode cannot know what the tasks before it in the play would have done (their changes were only
        predicted). With O(purge), RV(deleted) also lists a configuration that an earlier task would already have
        removed, and leaves out one that an earlier task would have created; neither makes it fail.
      - Without credentials it validates every item, warns that it could not read the domain, and reports
        RV(ignore:changed=true).
  diff_mode:
    support: full
    details:
      - A summary of the plan comes first, then the configuration of each stream that changes, before and after.
  platform:
    platforms: all
  action_group:
    support: full
    membership:
      - volcengine.live.live
options:
  domain:
    description:
      - The pull (playback) domain, for example V(pull.example.com). Compared and returned in lower case.
    type: str
    required: true
  relay_sources:
    description:
      - The relay sources of the domain, each with the same rules and forms as the options of
        M(volcengine.live.relay_source).
      - What M(volcengine.live.relay_source_info) returns as RV(volcengine.live.relay_source_info#module:relay_sources)
        can be given as it is.
      - An app and stream may be listed once only.
      - An empty list with O(purge=true) deletes every configuration of the domain (of O(purge_apps)).
    type: list
    elements: dict
    required: true
    suboptions:
      app:
        description:
          - The application name, 1 to 30 characters of letters, digits, V(_), V(-) and V(.). Required.
        type: str
      stream:
        description:
          - The stream name, 1 to 100 characters of letters, digits, V(_), V(-) and V(.). Required.
        type: str
      src_addrs:
        description:
          - The source URLs, 1 to 10, in the order the service tries them (V(rtmp://), V(http://), V(https://),
            V(srt://)). Required with O(state=present); ignored with O(state=absent).
        type: list
        elements: str
      start_time:
        description:
          - Start of the relay window, as Unix seconds or an ISO 8601 timestamp with a UTC offset. Give both
            O(relay_sources[].start_time) and O(relay_sources[].end_time), or neither for a permanent relay.
        type: raw
      end_time:
        description:
          - End of the relay window, later than the start and at most 7 days after it.
          - A window that is over is never written, as for M(volcengine.live.relay_source). An item found with
            exactly that window is no change; any other item whose window is over is a problem of the list, and
            then nothing of the domain is written.
        type: raw
      domain:
        description:
          - Ignored when it names O(domain) (so that the output of M(volcengine.live.relay_source_info) can be fed
            back); an item that names another domain is refused.
        type: str
      start_time_iso:
        description:
          - The readable copy of O(relay_sources[].start_time) that M(volcengine.live.relay_source_info) returns
            beside it, accepted so that its output can be fed back as it is.
          - When given, it must name the same moment as O(relay_sources[].start_time), which sets the window; given
            alone, it is a problem of the item.
        type: raw
      end_time_iso:
        description:
          - The readable copy of O(relay_sources[].end_time), as for O(relay_sources[].start_time_iso).
        type: raw
  state:
    description:
      - V(present) creates and updates the listed relay sources (and purges, see O(purge)).
      - V(absent) deletes the listed relay sources that exist; only their app and stream are needed.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), also delete every configuration of the domain that O(relay_sources) does not name
        (only those of O(purge_apps), when given).
      - Preview it in check mode with C(--diff) first.
    type: bool
    default: false
  purge_apps:
    description:
      - Limit O(purge) to the configurations of these application names, so that teams sharing a domain never
        remove each other's configurations. Configurations of other apps are left alone.
      - Has no effect without O(purge=true) (the task warns).
    type: list
    elements: str
notes:
  - The API allows 10 requests per second per account and action; all module runs on a controller share that
    budget (see O(rate_limit)).
  - A write whose outcome is unknown (no answer, HTTP 504, an answer that is not the API's) is never sent again
    blindly; the domain is read again and only the streams still to be changed are written.
  - A create that got no answer saying whether it was carried out (a read timeout, a dropped connection, HTTP 504)
    is never sent again in the same run. The domain is read for it at most twice, the first read at least
    O(timeout) seconds after the request gave up, the second after another wait, both within O(answer_timeout)
    (each counts as one of O(retries)); when neither finds it, its stream is listed in RV(failures), the task
    fails with RV(ignore:changed=true), and a rerun, which reads first, converges.
  - When the service refuses some writes, the others still go ahead; the task then fails, and its result lists the
    failed writes with their error and C(RequestId) beside everything that was done.
seealso:
  - module: volcengine.live.relay_source
  - module: volcengine.live.relay_source_info
author:
  - volcengine.live collection maintainers (@volcengine-live)
"""

EXAMPLES = r"""
- name: Make the domain's relay sources exactly those of a vars file (removing the others)
  volcengine.live.relay_sources:
    domain: pull.example.com
    relay_sources: "{{ relay_sources }}"  # a list of {app, stream, src_addrs, start_time, end_time}
    purge: true
  register: applied

- name: Show what changed
  ansible.builtin.debug:
    msg: "created {{ applied.created | length }}, updated {{ applied.updated | length }},
      deleted {{ applied.deleted | length }}, unchanged {{ applied.unchanged }}"

- name: Apply them again, and wait until every relay whose window is open is online (at most 10 minutes)
  volcengine.live.relay_sources:
    domain: pull.example.com
    relay_sources: "{{ relay_sources }}"
    wait: true
    wait_timeout: 600
  register: delivered

- name: Show what was not waited for (windows not open yet), with when each opens
  ansible.builtin.debug:
    var: delivered.delivery.not_open

- name: Only purge the configurations of the team's own apps
  volcengine.live.relay_sources:
    domain: pull.example.com
    relay_sources:
      - app: sports
        stream: match-42
        src_addrs: [rtmp://origin-a.example.com/sports/match-42]
      - app: sports
        stream: match-43
        src_addrs: [rtmp://origin-a.example.com/sports/match-43]
        start_time: "{{ event_start }}"  # such as "2027-06-30T20:00:00+08:00"
        end_time: "{{ event_end }}"
    purge: true
    purge_apps: [sports]

- name: Copy one domain's relay sources to another
  block:
    - name: Read them
      volcengine.live.relay_source_info:
        domain: pull.example.com
      register: source

    - name: Write them (each item's domain is replaced by the target domain)
      volcengine.live.relay_sources:
        domain: pull2.example.com
        relay_sources: "{{ source.relay_sources | map('combine', {'domain': 'pull2.example.com'}) | list }}"

- name: Remove some streams
  volcengine.live.relay_sources:
    domain: pull.example.com
    state: absent
    relay_sources:
      - {app: live, stream: old-1}
      - {app: live, stream: old-2}
"""

RETURN = r"""
created:
  description:
    - The relay sources created, with the C(TaskId) of each create; in check mode, those a real run would create
      (with a V(null) task id).
    - V(null) task ids also mark creates whose answer was lost but that a second read found carried out.
  returned: always
  type: list
  elements: dict
  sample: [{app: live, stream: match-42, task_id: "1612345678901"}]
updated:
  description: The relay sources updated (in check mode, those a real run would update).
  returned: always
  type: list
  elements: dict
  sample: [{app: live, stream: match-43}]
deleted:
  description: The relay sources deleted (in check mode, those a real run would delete), purged ones included.
  returned: always
  type: list
  elements: dict
  sample: [{app: live, stream: old-1}]
unchanged:
  description: How many listed relay sources needed no change.
  returned: always
  type: int
  sample: 997
failures:
  description: The writes that failed, each with the stream, the action, the message, the error and the C(RequestId).
  returned: when a write failed
  type: list
  elements: dict
  sample:
    - app: live
      stream: match-44
      action: create
      msg: "CreateRelaySourceV4 failed: InvalidParam: ... [HTTP 400, RequestId: 2026...]"
      error: {action: CreateRelaySourceV4, code: InvalidParam, message: "...", http_status: 400, attempts: 1}
      request_id: "20261126150000ABCDEF0123456789AB"
problems:
  description: Every problem of O(relay_sources), each naming the item (index, app/stream) and the option.
  returned: when an item is invalid, or its window is over (nothing was written)
  type: list
  elements: str
  sample: ["relay_sources[3] (live/match-42): src_addrs: accepts at most 10 source URLs, got 11"]
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
error:
  description:
    - What the service answered, when a call failed (C(action), C(code), C(message), C(http_status), C(attempts)).
    - When a look of O(wait) failed, also its C(request_id); the write's stays where the result keeps it.
  returned: failure after a request was sent
  type: dict
request_id:
  description: The C(RequestId) of the call that failed, to quote to Volcengine support.
  returned: failure after a request was sent
  type: str
"""

import time

from ansible_collections.volcengine.live.plugins.module_utils._core.connection import (
    check_connection,
    client_from_params,
    connection_argument_spec,
    lookup_impossible,
    retry_policy,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.errors import LiveApiError
from ansible_collections.volcengine.live.plugins.module_utils._core.locks import converging, domain_key
from ansible_collections.volcengine.live.plugins.module_utils._core.module import (
    ModuleDefinition,
    TaskFailed,
    run_as_module,
    validated,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    APP_MAX,
    READABLE_SUFFIX,
    WINDOW_KEYS,
    validate_domain,
    validate_name,
)
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.converge_domain import converge_domain
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.plan import domain_diff
from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.rules import (
    item_labels_and_offsets,
    normalize_relay_source_list,
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
    domain=dict(type='str', required=True),
    relay_sources=dict(
        type='list',
        elements='dict',
        required=True,
        options=dict(
            app=dict(type='str'),
            stream=dict(type='str'),
            src_addrs=dict(type='list', elements='str'),
            start_time=dict(type='raw'),
            end_time=dict(type='raw'),
            domain=dict(type='str'),
            **{key + READABLE_SUFFIX: dict(type='raw') for key in WINDOW_KEYS},
        ),
    ),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    purge=dict(type='bool', default=False),
    purge_apps=dict(type='list', elements='str'),
    wait=dict(type='bool', default=False),
    wait_timeout=dict(type='int', default=DEFAULT_WAIT_TIMEOUT),
)
# How many failures the message names; the result's ``failed`` lists them all.
MESSAGE_FAILURES = 10


def _domain_and_purge_apps(params):
    """The domain and the apps purge is limited to, validated."""
    return (
        validate_domain(params['domain']),
        [validate_name('purge_apps', app, APP_MAX) for app in params['purge_apps'] or []],
    )


def _validate(params, warn):
    domain, purge_apps = validated(_domain_and_purge_apps, params)
    validated(validate_wait_timeout, params)
    present = params['state'] == 'present'
    if params['purge'] and not present:
        raise TaskFailed(
            'purge: deletes the configurations that are not listed, with state=present only', option='purge'
        )
    if purge_apps and not params['purge']:
        warn('purge_apps limits purge, which is off: nothing is purged.')
    desired, problems = normalize_relay_source_list(domain, params['relay_sources'], present)
    if problems:
        raise TaskFailed(
            '%d problem(s) in relay_sources, nothing was sent: %s' % (len(problems), '; '.join(problems)),
            option='relay_sources',
            problems=problems,
        )
    return domain, desired, purge_apps


def _entries(relay_sources, with_task_id=False):
    entries = [{'app': item['app'], 'stream': item['stream']} for item in relay_sources]
    if with_task_id:
        for entry in entries:
            entry['task_id'] = None
    return entries


def run(params, check_mode, diff, warn):
    """Converge every relay source of a domain; return the module result."""
    domain, desired, purge_apps = _validate(params, warn)
    check_connection(params, warn)
    result = dict(changed=True, created=[], updated=[], deleted=[], unchanged=0)
    if lookup_impossible(params, check_mode, warn, checked='every relay source', lookup='read the domain'):
        return result

    retry = retry_policy(params)
    labels = item_labels_and_offsets(params['relay_sources'])
    offsets = {key: offset for key, (_label, offset) in labels.items()}
    try:
        with converging(params, check_mode, warn, domain_key(domain, exclusive=True)):
            outcome = converge_domain(
                lambda: client_from_params(params, retry, warn=warn),
                domain,
                desired,
                params['state'],
                retry,
                purge=params['purge'],
                purge_apps=purge_apps,
                check_mode=check_mode,
                now=time.time(),
                offsets=offsets,
            )
    except LiveApiError as exc:  # the domain could not be read first: nothing was planned or written
        raise TaskFailed(str(exc), changed=False, **exc.to_result()) from exc
    domain_plan = outcome.plan
    if domain_plan.refused:  # a window that is over, not found as it is: nothing was written
        problems = ['%s: %s' % (labels[(item['app'], item['stream'])][0], error) for item, error in domain_plan.refused]
        raise TaskFailed(
            '%d problem(s) in relay_sources, nothing was sent: %s' % (len(problems), '; '.join(problems)),
            option='relay_sources',
            problems=problems,
            changed=False,
        )
    if check_mode:
        result.update(
            changed=domain_plan.changed,
            created=_entries(domain_plan.creates, with_task_id=True),
            updated=_entries(desired for _current, desired in domain_plan.updates),
            deleted=_entries(domain_plan.deletes),
        )
    else:
        result.update(
            changed=outcome.changed, created=outcome.created, updated=outcome.updated, deleted=outcome.deleted
        )
    result['unchanged'] = len(domain_plan.unchanged)
    if diff:
        result['diff'] = domain_diff(domain, domain_plan, offsets)
    if outcome.answers_lost:
        warn(
            'The answers to %d write(s) were lost, but reading the domain again showed them carried out; '
            'nothing was sent twice.' % outcome.answers_lost
        )
    if outcome.failed:
        named = ['%s/%s: %s' % (f['app'], f['stream'], f['msg']) for f in outcome.failed[:MESSAGE_FAILURES]]
        more = len(outcome.failed) - len(named)
        raise TaskFailed(
            '%d of %d write(s) failed: %s%s. Done anyway: created %d, updated %d, deleted %d.'
            % (
                len(outcome.failed),
                len(domain_plan.writes()),
                '; '.join(named),
                ' (and %d more, see failures)' % more if more > 0 else '',
                len(outcome.created),
                len(outcome.updated),
                len(outcome.deleted),
            ),
            failures=outcome.failed,
            **result,
        )
    if params['wait'] and params['state'] == 'present' and not check_mode:
        timeout = params['wait_timeout']
        client = client_from_params(params, retry_policy(params), warn=warn)  # budgets of its own
        wait_into(
            result,
            lambda: wait_for_relays(client, domain, desired, timeout, time.time()),
            lambda waited: timed_out_message('relay', waited, timeout),
            offsets,
        )
    return result


DEFINITION = ModuleDefinition('relay_sources', ARGUMENT_SPEC, run)


def main():
    run_as_module(DEFINITION)


if __name__ == '__main__':
    main()
