#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: stream_info
short_description: Which Volcengine Live streams are online, and how a relayed stream is doing
version_added: 0.2.0
description:
  - Lists the online streams of a domain or of a domain space (Vhost) with C(DescribeLiveStreamInfoByPage), every
    page of up to 1000, relayed streams (pulled from an origin by a fixed relay) and pushed ones.
  - With O(app) and O(stream), also says that stream's state (RV(stream_state)); with O(metrics), its recent source
    metrics (C(DescribeLiveSourceStreamMetrics)), so that a play can assert that a relay delivers.
  - Read-only, in check mode too.
  - No page says which domain an online relayed stream is listed under when its fixed relay was configured on a
    domain (that domain, or a play domain of its space). With O(domain), the module asks C(DescribeDomain) for the
    domain's space and lists the space. The domain's streams are those listed under it, and the relayed stream of
    each fixed relay the domain configures (C(ListRelaySourceV4)) wherever in the space it is listed
    (RV(streams[].listed_domain) says where).
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
      - The domain whose online streams to list; the domain a fixed relay was configured on finds its relayed
        streams whichever domain of its space they are listed under.
      - Exactly one of O(domain) and O(vhost).
    type: str
  vhost:
    description:
      - The domain space (Vhost) whose online streams to list, every domain of it, as DescribeDomain and
        RV(streams[].vhost) name it (a domain name, or a name of letters, digits, C(_) and C(-)).
      - Exactly one of O(domain) and O(vhost).
    type: str
  app:
    description:
      - Only the streams of this application name.
    type: str
  stream:
    description:
      - Only this stream (matched exactly); needs O(app). The result then also carries RV(stream_state).
    type: str
  source_type:
    description:
      - V(relay) for relayed streams (pulled from an origin), V(push) for streams pushed to Live, V(both) for all.
    type: str
    choices: [relay, push, both]
    default: both
  metrics:
    description:
      - With O(app) and O(stream), also read the stream's source metrics of the last O(metrics_minutes) minutes
        (RV(metrics)), one sample per 30 seconds. For relayed streams.
    type: bool
    default: false
  metrics_minutes:
    description:
      - How many minutes of metrics O(metrics) reads, 1 to 1440 (a day, the most one query covers).
    type: int
    default: 5
notes:
  - The API allows no page size over 1000. A domain is looked at through its domain space (DescribeDomain once),
    whose online streams are listed a call per 1000; a relayed stream listed under another domain of the space adds
    the calls that tell what else of the space relays its name (see docs/stream_delivery.md).
  - No page states these actions' rate limits; the collection paces them at 10 requests/s per action, as every other.
seealso:
  - module: volcengine.live.relay_source
  - module: volcengine.live.relay_sources
  - module: volcengine.live.pull_to_push_task
author:
  - volcengine.live collection maintainers (@volcengine-live)
"""

EXAMPLES = r"""
- name: A fixed relay for the event's main stream, waited for until it is online (or fail after two minutes)
  volcengine.live.relay_source:
    domain: pull.example.com
    app: live
    stream: match-42
    src_addrs:
      - rtmp://origin-a.example.com/live/match-42
    wait: true
    wait_timeout: 120

- name: Its state now
  volcengine.live.stream_info:
    domain: pull.example.com
    app: live
    stream: match-42
  register: match

- name: Stop unless it is online
  ansible.builtin.assert:
    that: match.stream_state.state == 'online'

- name: The relayed streams of the domain that are online now
  volcengine.live.stream_info:
    domain: pull.example.com
    source_type: relay
  register: online

- name: Show them, with when each session started
  ansible.builtin.debug:
    msg: "{{ item.stream }} since {{ item.session_start_time_iso }}"
  loop: "{{ online.streams }}"

- name: Its source metrics of the last 10 minutes, once there is a sample (one per 30 seconds)
  volcengine.live.stream_info:
    domain: pull.example.com
    app: live
    stream: match-42
    metrics: true
    metrics_minutes: 10
  register: health
  until: health.metrics | length > 0
  retries: 12
  delay: 5

- name: Stop unless it delivers video
  ansible.builtin.assert:
    that:
      - health.metrics | map(attribute='bitrate') | select('number') | select('gt', 0) | list | length > 0
    fail_msg: "live/match-42 delivers no video"
"""

RETURN = r"""
streams:
  description: The online streams the options select, in the order the API lists them.
  returned: always
  type: list
  elements: dict
  contains:
    domain:
      description:
        - The domain the stream is of (with O(domain), the domain asked about), in lower case.
      type: str
      returned: always
      sample: pull.example.com
    listed_domain:
      description: The domain the service lists the stream under; another than RV(streams[].domain) for a relayed
        stream listed under a play domain of the space.
      type: str
      returned: always
      sample: pull.example.com
    vhost:
      description: The domain space (Vhost) of the stream.
      type: str
      returned: always
      sample: example.com
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
    source_type:
      description: V(relay) (pulled from an origin) or V(push) (pushed to Live).
      type: str
      returned: always
      sample: relay
    session_start_time:
      description: When the stream's session started, in Unix seconds; V(null) when the service did not say.
      type: int
      returned: always
      sample: 1796464801
    session_start_time_iso:
      description: RV(streams[].session_start_time) as a person reads it, ISO 8601 in UTC.
      type: str
      returned: always
      sample: "2026-12-05T10:00:01+00:00"
stream_state:
  description: The state of the stream named by O(app) and O(stream).
  returned: when O(stream) is given
  type: dict
  contains:
    state:
      description:
        - V(online); V(offline) (not online now, or never seen); V(forbidden) (blocked); V(unknown) for an answer
          the collection does not know. Asked of the domain space when the domain's is known.
      type: str
      returned: always
      sample: online
    source_type:
      description: V(relay) or V(push) as far as the service says, else V(null).
      type: str
      returned: always
      sample: relay
metrics:
  description:
    - The stream's source metrics over the last O(metrics_minutes) minutes, one sample per 30 seconds (each value the
      maximum within its 30 seconds), oldest first; empty when it was not online then.
  returned: when O(metrics=true)
  type: list
  elements: dict
  contains:
    time:
      description: The sample's time, in Unix seconds.
      type: int
      returned: always
      sample: 1796464830
    time_iso:
      description: RV(metrics[].time) as a person reads it, ISO 8601 in UTC.
      type: str
      returned: always
      sample: "2026-12-05T10:00:30+00:00"
    bitrate:
      description: The video bitrate, in kbit/s.
      type: float
      returned: always
    framerate:
      description: The video frame rate.
      type: float
      returned: always
    audio_bitrate:
      description: The audio bitrate, in kbit/s.
      type: float
      returned: always
    audio_framerate:
      description: The audio frame rate.
      type: float
      returned: always
    video_frame_gap:
      description: The largest gap between video frames, in milliseconds.
      type: float
      returned: always
    audio_frame_gap:
      description: The largest gap between audio frames, in milliseconds.
      type: float
      returned: always
    pts_delta:
      description: The largest difference between audio and video timestamps, in milliseconds.
      type: float
      returned: always
    video_pts:
      description: The video timestamp, in milliseconds.
      type: float
      returned: always
    audio_pts:
      description: The audio timestamp, in milliseconds.
      type: float
      returned: always
metrics_domain:
  description:
    - The play domain the metrics were asked for (C(DescribeLiveSourceStreamMetrics) takes a play domain), from
      C(ListDomainDetail) for the domain space; V(null) when the space has none.
  returned: when O(metrics=true)
  type: str
  sample: play.pull.example.com
option:
  description: The option whose value breaks a rule, when the task failed on it before any request was sent.
  returned: failure on an option's value
  type: str
  sample: domain
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

import time

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
from ansible_collections.volcengine.live.plugins.module_utils._core.rules import with_readable_times
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.api import RATE_LIMITS, play_domains
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.lookup import (
    online_streams,
    recent_metrics,
    stream_state,
)
from ansible_collections.volcengine.live.plugins.module_utils._stream_delivery.rules import (
    BOTH,
    DEFAULT_METRICS_MINUTES,
    SOURCE_TYPES,
    normalize_query,
)

ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    domain=dict(type='str'),
    vhost=dict(type='str'),
    app=dict(type='str'),
    stream=dict(type='str'),
    source_type=dict(type='str', choices=list(SOURCE_TYPES) + [BOTH], default=BOTH),
    metrics=dict(type='bool', default=False),
    metrics_minutes=dict(type='int', default=DEFAULT_METRICS_MINUTES),
)
# The times of an online stream and of a metrics sample.
SESSION_TIMES = ('session_start_time',)
SAMPLE_TIMES = ('time',)


def _metrics_domain(client, query, found):
    """The play domain to ask DescribeLiveSourceStreamMetrics for (the API takes a play domain): the one the stream
    is listed under when that is a play domain of its space, else the space's first; without a known space, the
    domain asked about."""
    key = (query['app'], query['stream'])
    listed = [item['listed_domain'] for item in found.streams if (item['app'], item['stream']) == key]
    vhost = found.vhost or query['vhost']
    if vhost is None:
        return query['domain']
    plays = play_domains(client, vhost)
    for domain in listed:
        if domain in plays:
            return domain
    return plays[0] if plays else None


def _metrics(client, query, found, result, warn):
    """Add the stream's recent metrics, asked for a play domain of its space."""
    key = (query['app'], query['stream'])
    domain = _metrics_domain(client, query, found)
    if domain is None:
        warn('%s/%s: no play domain of its domain space is known to read its metrics of.' % key)
        result.update(metrics=[], metrics_domain=None)
        return
    samples = recent_metrics(client, (domain,) + key, query['metrics_minutes'], time.time())
    result.update(metrics=[with_readable_times(sample, keys=SAMPLE_TIMES) for sample in samples], metrics_domain=domain)


def run(params, check_mode, diff, warn):
    """Report which streams are online, and one stream's state and metrics; return the module result."""
    query = validated(normalize_query, params)
    client = read_client(params, warn, RATE_LIMITS)
    try:
        found = online_streams(client, query)
        result = dict(changed=False, streams=[with_readable_times(item, keys=SESSION_TIMES) for item in found.streams])
        if query['stream'] is not None:
            result['stream_state'] = stream_state(client, query, found)
        if query['metrics']:
            _metrics(client, query, found, result, warn)
    except LiveApiError as exc:
        raise api_failure(exc) from exc
    if query['domain'] is not None and found.vhost is None:
        warn(
            "DescribeDomain does not list %s among the account's domains, so its domain space is not known: only the "
            'streams listed under %s itself are shown.' % (query['domain'], query['domain'])
        )
    return result


DEFINITION = ModuleDefinition('stream_info', ARGUMENT_SPEC, run)


def main():
    run_as_module(DEFINITION)


if __name__ == '__main__':
    main()
