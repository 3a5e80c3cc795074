#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: pull_to_push_task
short_description: Manage a Volcengine Live pull-to-push (restream) task, known by its title
version_added: 0.2.0
description:
  - Manages one pull-to-push task (拉流转推) of Volcengine Live. Within a time window of up to 7 days it pulls a live
    stream, or plays a list of VOD files, and pushes the result to a stream on Volcengine Live or to any RTMP
    address (another platform, for example).
  - The API has no natural key, and titles are not unique. The module knows a task by its O(title) within its
    O(group), compared exactly. If the group has two tasks of that title, the task fails, names both TaskIds, and
    writes nothing; pick one with O(task_id).
  - Looks the task up with C(ListPullToPushTaskV2) (whose title filter matches substrings, so the module compares
    the titles itself), creates it with C(CreatePullToPushTask), updates it with C(UpdatePullToPushTask) (which
    takes the whole record, so what the module does not manage, such as a watermark, is sent back as found), stops
    and continues it with C(StopPullToPushTask) and C(ContinuePullToPushTask), and deletes it with
    C(DeletePullToPushTask).
  - A create whose answer was lost is looked up by title again before anything else is sent, so faults never make
    a second task.
  - A C(CreatePullToPushTask) that got no answer saying whether it was carried out (a read timeout, a dropped
    connection, HTTP 504) is never sent again in the same run, whatever O(timeout) is. The task is looked for at most
    twice, the first look at least O(timeout) seconds after the request gave up, the second
    after another wait, both within O(answer_timeout) (each counts as one of O(retries)); when
    neither finds it, the task fails with RV(ignore:changed=true) and says so, and a rerun, which looks first,
    finds the task if the service created it late and creates it only if it is not there.
  - Every documented rule is checked before any request is sent, and a violation names the option.
  - A window that is over (O(end_time) in the past) is never written. The module only looks the task up, and a task
    found with exactly that window is no change, so a rerun of the play after the event changes nothing; anything
    else fails before any write, naming O(end_time) and when it ended (ISO 8601 in the offset the play used, or
    UTC for Unix seconds, and Unix seconds). After the event, remove the task with O(state=absent). Fixed relays
    (M(volcengine.live.relay_source)) follow the same rule.
  - A task is created only in a group that exists (O(group=default) excepted, which the service makes on first
    use). The groups are listed first, and a missing group fails the task before any write, naming it and
    M(volcengine.live.pull_to_push_group).
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
      - Check mode never writes. With credentials it makes the read-only lookup, so RV(ignore:changed) and
        RV(actions) are what a real run would report.
      - Check mode cannot know what the tasks before it in the play would have done (their changes were only
        predicted). Where a real run depends on them, check mode reports the change and warns, naming what the real
        run needs first, instead of failing. This is so for a create in a group that does not exist (yet), which
        an earlier M(volcengine.live.pull_to_push_group) task may create, and for a title that other tasks of the
        group hold (a rename onto it, or several tasks with it), which an earlier task may delete. With several
        tasks of the title it cannot tell which is meant, and reports RV(ignore:changed=true) with RV(actions)
        empty. A real run fails in each of these cases, before any write.
      - One guess remains. No page says whether an update resumes a stopped task; check mode assumes it stays
        stopped, and warns when that matters. A real run looks again after the update.
      - Without credentials it validates every parameter, warns that it could not look up the current state, and
        reports RV(ignore:changed=true).
  diff_mode:
    support: full
    details:
      - Shows the task before and after, with its state, in check mode too.
  platform:
    platforms: all
  action_group:
    support: full
    membership:
      - volcengine.live.live
options:
  state:
    description:
      - V(present) creates the task, or updates it when it differs, and continues it when it is stopped.
      - V(stopped) does the same, then stops the task when it would run. A task that has ended (its window is
        over, or its files were played as often as asked) is left as it is.
      - V(absent) deletes the task when it exists.
    type: str
    choices: [present, stopped, absent]
    default: present
  title:
    description:
      - The task's title, 1 to 20 Chinese characters, letters and digits. It is the task's identity within its
        O(group).
    type: str
    required: true
  group:
    description:
      - The pull-to-push group of the task (M(volcengine.live.pull_to_push_group)).
      - IAM sub-users must name a group that exists; the account's main user may rely on V(default), which the
        service creates on first use.
    type: str
    default: default
  task_id:
    description:
      - The TaskId of the task. It picks one task when several have the same title, and it lets a task be renamed
        (the title of the task found by its TaskId is changed to O(title)).
      - When no task of the group has this TaskId, the task fails (with O(state=absent) it is no change). A rename
        onto a title that another task of the group has fails too, before any write.
    type: str
  type:
    description:
      - V(live) pulls a live stream (O(source_url)); V(vod) plays VOD files (O(source_urls) or O(vod_sources)).
      - Required unless O(state=absent).
    type: str
    choices: [live, vod]
  source_url:
    description:
      - The live stream to pull, an RTMP, FLV or HLS URL (C(rtmp://), C(http://) or C(https://)), up to 1000
        characters. For O(type=live).
    type: str
  source_urls:
    description:
      - The VOD files to play, in order, 1 to 30 C(http://) or C(https://) URLs. For O(type=vod); or use
        O(vod_sources).
    type: list
    elements: str
  vod_sources:
    description:
      - The VOD files to play, in order, 1 to 30, each with the part to play. For O(type=vod); or use
        O(source_urls).
    type: list
    elements: dict
    suboptions:
      url:
        description: The file's C(http://) or C(https://) URL.
        type: str
        required: true
      start_offset:
        description: Where to start playing the file, in seconds.
        type: float
      end_offset:
        description: Where to stop playing the file, in seconds; later than O(vod_sources[].start_offset).
        type: float
  destination_url:
    description:
      - The RTMP address to push to (C(rtmp://) or C(rtmps://)), such as another platform's ingest URL with its
        stream key. Or push to a stream of Volcengine Live with O(domain), O(app) and O(stream).
      - An ingest URL usually holds a secret stream key; keep it in Ansible Vault. The module does not hide it,
        since the service lists it as part of the task.
    type: str
  domain:
    description:
      - The push domain of the Volcengine Live stream to push to, with O(app) and O(stream).
    type: str
  app:
    description:
      - The application name of the stream to push to (1 to 30 letters, digits, C(_), C(-) and C(.)).
    type: str
  stream:
    description:
      - The stream name to push to (1 to 100 letters, digits, C(_), C(-) and C(.)).
    type: str
  start_time:
    description:
      - When the task starts, in Unix seconds or as an ISO 8601 timestamp with a UTC offset such as
        C(2026-12-02T20:00:00+08:00). Required unless O(state=absent).
    type: raw
  end_time:
    description:
      - When the task ends, in the same forms; later than O(start_time) and at most 7 days after it. Required
        unless O(state=absent).
      - A window that is over is accepted only to find the task that has it, which is then no change.
    type: raw
  start_time_iso:
    description:
      - The readable copy of O(start_time) that results carry beside it (RV(task.start_time_iso)), accepted so that
        an item of M(volcengine.live.pull_to_push_task_info) can be passed back as it is.
      - When given, it must name the same moment as O(start_time), which sets the window; given without
        O(start_time), the task fails naming this option. Ignored with O(state=absent).
    type: raw
  end_time_iso:
    description:
      - The readable copy of O(end_time), as for O(start_time_iso).
    type: raw
  callback_url:
    description:
      - The C(http://) or C(https://) URL that receives the task's status callbacks, up to 512 characters.
      - Left out, the task's callback stays as it is; V("") removes it.
    type: str
  cycle_mode:
    description:
      - For O(type=vod), how the files loop. V(-1) loops until the task ends, V(0) plays them O(play_times)
        times, and a positive number plays them that many times.
      - Left out, a new task loops until it ends and an existing one keeps its mode.
    type: int
  play_times:
    description:
      - For O(type=vod) with O(cycle_mode=0), how many times the files are played; required with
        O(cycle_mode=0). Left out otherwise, an existing task keeps its number.
    type: int
notes:
  - List answers give the window as RFC 3339 text in +08:00 while writes take Unix seconds; the module compares
    the moments, so a rerun of the same play changes nothing.
  - A destination on Volcengine Live may be listed as an rtmp URL of O(domain), O(app) and O(stream), with a push
    authentication query the service adds; the module takes it as the same destination.
seealso:
  - module: volcengine.live.pull_to_push_task_info
  - module: volcengine.live.pull_to_push_group
  - module: volcengine.live.relay_source
author:
  - volcengine.live collection maintainers (@volcengine-live)
"""

EXAMPLES = r"""
- name: Restream the event to another platform during its window
  volcengine.live.pull_to_push_task:
    title: launch2026
    type: live
    source_url: rtmp://pull.example.com/live/launch
    destination_url: "{{ partner_ingest_url }}"  # keep the stream key in Vault
    start_time: "{{ event_start }}"  # such as "2027-06-30T19:30:00+08:00"
    end_time: "{{ event_end }}"  # such as "2027-06-30T22:30:00+08:00"
  register: restream

- name: Make a group for the event's other tasks
  volcengine.live.pull_to_push_group:
    name: events

- name: Loop a trailer into a Live stream until the event starts
  volcengine.live.pull_to_push_task:
    title: trailer
    group: events
    type: vod
    source_urls:
      - https://vod.example.com/trailer.mp4
    cycle_mode: -1
    domain: push.example.com
    app: live
    stream: launch
    start_time: "{{ pre_show_start }}"
    end_time: "{{ event_start }}"
    wait: true  # once its window is open: until it runs and live/launch is online

- name: Pause the restream
  volcengine.live.pull_to_push_task:
    title: launch2026
    type: live
    source_url: rtmp://pull.example.com/live/launch
    destination_url: "{{ partner_ingest_url }}"
    start_time: "{{ event_start }}"
    end_time: "{{ event_end }}"
    state: stopped

- name: Remove it after the event
  volcengine.live.pull_to_push_task:
    title: launch2026
    state: absent
"""

RETURN = r"""
task_id:
  description: The TaskId of the task; V(null) when there is none (or, in check mode, before it is created).
  returned: success
  type: str
  sample: 9f1c2d3e4b5a69788796a5b4c3d2e1f0
actions:
  description: The writes made, in order (in check mode, the writes a real run would make).
  returned: success
  type: list
  elements: str
  sample: [create, stop]
task:
  description:
    - The task as the service lists it after the run (in check mode, as it would be), in the module's option
      names, with its TaskId, state and status. V(null) for O(state=absent).
  returned: success
  type: dict
  contains:
    task_id:
      description: The TaskId.
      type: str
    title:
      description: The title.
      type: str
    group:
      description: The group.
      type: str
    type:
      description: V(live) or V(vod).
      type: str
    source_url:
      description: The live stream pulled; V(null) for a VOD task.
      type: str
    source_urls:
      description: The VOD files; V(null) for a live task or when the files are listed as RV(task.vod_sources).
      type: list
      elements: str
    vod_sources:
      description: The VOD files with their offsets (C(url), C(start_offset), C(end_offset)), or V(null).
      type: list
      elements: dict
    destination_url:
      description: The RTMP address pushed to, as the service lists it; V(null) when listed as domain, app and stream.
      type: str
    domain:
      description: The push domain of the Live stream pushed to, or V(null).
      type: str
    app:
      description: The application of the Live stream pushed to, or V(null).
      type: str
    stream:
      description: The Live stream pushed to, or V(null).
      type: str
    start_time:
      description: The start of the window, in Unix seconds.
      type: int
      sample: 1796211000
    end_time:
      description: The end of the window, in Unix seconds.
      type: int
      sample: 1796221800
    start_time_iso:
      description:
        - RV(task.start_time) as a person reads it, ISO 8601 in the UTC offset the task wrote its window in (UTC
          when it gave Unix seconds, and in the results of M(volcengine.live.pull_to_push_task_info)).
      type: str
      sample: "2026-12-02T19:30:00+08:00"
    end_time_iso:
      description: RV(task.end_time) as a person reads it, as for RV(task.start_time_iso).
      type: str
      sample: "2026-12-02T22:30:00+08:00"
    callback_url:
      description: The callback URL; empty when there is none.
      type: str
    cycle_mode:
      description: The VOD loop mode, or V(null) for a live task.
      type: int
    play_times:
      description: The VOD play count, or V(null).
      type: int
    state:
      description: V(stopped) when the task is stopped, else V(present).
      type: str
    status:
      description: V(not_started), V(running), V(stopped), V(ended), or V(unknown) for a status the collection
        does not know.
      type: str
      sample: running
request_id:
  description: The C(RequestId) of the last write; V(null) when nothing was written.
  returned: success
  type: str
task_ids:
  description: The TaskIds of the tasks that share the title, when the title was ambiguous.
  returned: failure
  type: list
  elements: str
error:
  description:
    - What the service answered, when a call failed (C(action), C(code), C(message), C(http_status), C(attempts)).
    - When a look of O(wait) failed, also its C(request_id); the write's stays where the result keeps it.
  returned: failure
  type: dict
delivery:
  description: What O(wait) found.
  returned: when O(wait=true) with O(state=present), not in check mode (also when a look failed, as RV(error) says)
  type: dict
  contains:
    online:
      description:
        - What is delivered, in the order waited for; C(task <title>) once the task runs,
          C(<domain>/<app>/<stream>) once its Live destination is online; both once a VOD task has ended within its
          window (its sources played out).
      type: list
      elements: str
      returned: always
      sample: [task launch2026, push.example.com/live/launch]
    not_online:
      description:
        - What was still not online when O(wait_timeout) ran out, or when a look failed on a fault that will not pass
          (the task then failed).
      type: list
      elements: str
      returned: always
      sample: []
    not_open:
      description: The task, when not waited for because its window has not opened, with when it opens.
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
from ansible_collections.volcengine.live.plugins.module_utils._core.locks import converging, group_key, task_key
from ansible_collections.volcengine.live.plugins.module_utils._core.module import (
    ModuleDefinition,
    TaskFailed,
    api_failure,
    run_as_module,
    validated,
    warn_answer_lost,
)
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import (
    READABLE_SUFFIX,
    WINDOW_KEYS,
    ValidationError,
    play_offset,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.api import RATE_LIMITS
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.converge import (
    GroupMissing,
    TaskVanished,
    converge_task,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.plan import (
    AmbiguousTitle,
    TaskNotFound,
    TitleTaken,
    diff_view,
    view,
)
from ansible_collections.volcengine.live.plugins.module_utils._pull_to_push.rules import (
    DEFAULT_GROUP,
    TYPES,
    normalize_task,
    normalize_task_key,
)
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.wait import (
    DEFAULT_WAIT_TIMEOUT,
    task_timed_out_message,
    validate_wait_timeout,
    wait_for_task,
    wait_into,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    state=dict(type='str', default='present', choices=['present', 'stopped', 'absent']),
    title=dict(type='str', required=True),
    group=dict(type='str', default=DEFAULT_GROUP),
    task_id=dict(type='str'),
    type=dict(type='str', choices=list(TYPES)),
    source_url=dict(type='str'),
    source_urls=dict(type='list', elements='str'),
    vod_sources=dict(
        type='list',
        elements='dict',
        options=dict(
            url=dict(type='str', required=True),
            start_offset=dict(type='float'),
            end_offset=dict(type='float'),
        ),
    ),
    destination_url=dict(type='str'),
    domain=dict(type='str'),
    app=dict(type='str'),
    stream=dict(type='str'),
    start_time=dict(type='raw'),
    end_time=dict(type='raw'),
    **{key + READABLE_SUFFIX: dict(type='raw') for key in WINDOW_KEYS},
    callback_url=dict(type='str'),
    wait=dict(type='bool', default=False),
    wait_timeout=dict(type='int', default=DEFAULT_WAIT_TIMEOUT),
    cycle_mode=dict(type='int'),
    play_times=dict(type='int'),
)


def run(params, check_mode, diff, warn):
    """Converge one pull-to-push task; return the module result."""
    state = params['state']
    key = validated(normalize_task_key, params)
    validated(validate_wait_timeout, params)
    desired = validated(normalize_task, params) if state != 'absent' else None
    offset = play_offset(params)
    connection = connect(params, check_mode, warn, RATE_LIMITS)
    if connection is None:
        return dict(changed=True, actions=[], task_id=key['task_id'], task=view(desired, offset), request_id=None)
    client, retry = connection
    locks = (group_key(key['group'], exclusive=False), task_key(key['group'], key['title']))
    try:
        with converging(params, check_mode, warn, *locks):
            outcome = converge_task(
                client,
                desired,
                key,
                state,
                retry,
                time.time(),
                check_mode=check_mode,
                offset=offset,
            )
    except LiveApiError as exc:
        raise api_failure(exc, task=view(desired, offset)) from exc
    except ValidationError as exc:  # a window that is over, found nowhere: refused before any write
        raise TaskFailed(str(exc), option=exc.option, changed=exc.after_write) from exc
    except (AmbiguousTitle, TitleTaken) as exc:
        raise TaskFailed(str(exc), changed=exc.after_write, task_ids=exc.task_ids) from exc
    except TaskNotFound as exc:
        raise TaskFailed(str(exc), changed=exc.after_write) from exc
    except GroupMissing as exc:
        raise TaskFailed(str(exc), changed=exc.after_write, option='group') from exc
    except TaskVanished as exc:
        raise TaskFailed(str(exc), changed=True, task_id=exc.task_id) from exc
    if outcome.unknown:  # check mode could not tell which task the title means
        _warn_in_the_way(warn, outcome.in_the_way, key)
        return dict(changed=True, actions=[], task_id=key['task_id'], task=view(desired, offset), request_id=None)
    task = outcome.after if state != 'absent' else None
    found = outcome.after or outcome.before or {}
    result = dict(
        changed=outcome.changed,
        actions=outcome.actions,
        task_id=found.get('task_id') or key['task_id'],
        task=view(task, offset),
        request_id=outcome.request_id,
    )
    if diff:
        result['diff'] = diff_view(outcome.before, task, key, offset)
    _warn_of(outcome, task, key, warn)
    if params['wait'] and state == 'present' and not check_mode:
        # The destination as the task gives it: the service may list a Live destination as a URL.
        asked = dict(task, **{name: desired[name] for name in ('domain', 'app', 'stream')})
        timeout = params['wait_timeout']
        client = client_from_params(params, retry_policy(params), RATE_LIMITS, warn=warn)  # budgets of its own
        wait_into(
            result,
            lambda: wait_for_task(client, asked, timeout, time.time()),
            lambda waited: task_timed_out_message(asked, waited, timeout),
            offset,
        )
    return result


def _warn_of(outcome, task, key, warn):
    """The warnings of a convergence: a lost answer, tasks in the way, what check mode assumed, a status unknown."""
    if outcome.answer_lost:
        warn_answer_lost(warn, 'the task')
    if outcome.in_the_way is not None:
        _warn_in_the_way(warn, outcome.in_the_way, key)
    if outcome.group_missing:
        warn(
            'Check mode: the pull-to-push group %s does not exist (yet). A real run creates the task only if the group '
            'exists by then, made by an earlier task of the play (volcengine.live.pull_to_push_group with name=%s), '
            'and fails otherwise.' % (outcome.group_missing, outcome.group_missing)
        )
    if outcome.status_guessed:
        warn(
            'Check mode assumed that the update leaves the stopped task stopped; no page says whether an update '
            'resumes it. A real run looks again after the update and stops or continues the task as state says.'
        )
    if task is not None and task.get('status') == 'unknown':
        warn(
            'ListPullToPushTaskV2 gave the task a status the collection does not know (%r); its status was left '
            'as it is.' % task.get('status_text')
        )


def _warn_in_the_way(warn, error, key):
    """Check mode's warning for tasks of the group a real run would refuse to work around (``error``)."""
    ids = ', '.join(error.task_ids)
    if isinstance(error, AmbiguousTitle):
        warn(
            'Check mode: the group %s has %d pull-to-push tasks titled %r (TaskIds %s), so it could not tell which '
            'one is meant, nor what would change. A real run converges the task only if all but one of them are '
            'gone by then, deleted by an earlier task of the play (state=absent with task_id), and fails otherwise.'
            % (key['group'], len(error.task_ids), key['title'], ids)
        )
    else:
        warn(
            'Check mode: the group %s already has a pull-to-push task titled %r (TaskIds %s). A real run renames '
            'the task only if that one is gone by then, deleted by an earlier task of the play, and fails '
            'otherwise.' % (key['group'], key['title'], ids)
        )


# No mutually_exclusive: an item of pull_to_push_task_info holds every option, those that do not apply as null,
# and must be accepted as it is. The rules refuse two options of a pair that are both set, naming them.
DEFINITION = ModuleDefinition('pull_to_push_task', ARGUMENT_SPEC, run)


def main():
    run_as_module(DEFINITION)


if __name__ == '__main__':
    main()
