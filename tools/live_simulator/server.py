# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A local simulator of the Volcengine Live relay APIs: fixed relay sources (V4), play-triggered relay (V3),
pull-to-push tasks, and the stream delivery they make (the streams online, one stream's state, a relayed stream's
metrics).

A real HTTP server on 127.0.0.1 that answers CreateRelaySourceV4,
ListRelaySourceV4, UpdateRelaySourceV4 and DeleteRelaySourceV4, and
UpdateRelaySourceV3, DescribeRelaySourceV3 and DeleteRelaySourceV3
(``play_relay.py``), and CreatePullToPushTask, UpdatePullToPushTask, StopPullToPushTask, ContinuePullToPushTask,
DeletePullToPushTask, ListPullToPushTaskV2, ListPullToPushTask (a GET, its parameters in the query string),
CreatePullToPushGroup, UpdatePullToPushGroup, DeletePullToPushGroup and ListPullToPushGroup
(``pull_to_push.py``), and DescribeLiveStreamInfoByPage, DescribeLiveStreamState (both GETs) and
DescribeLiveSourceStreamMetrics (``streams.py``), the way the public documentation describes them: the
same rules and error codes, the same response envelope. Every request's signature is checked with the official
SDK's signing code (PyPI ``volcengine``), never with the collection's signer. Each action takes one HTTP method
(``ACTION_METHODS``; POST unless listed); another answers HTTP 405 ``MethodNotAllowed``.

It also enforces a per-account, per-action rate limit (each action at its own rate: ``action_rates``, else
``rate_limit``), answers the excess with
HTTP 429, injects faults on request, counts what it receives, and keeps its
configurations in a JSON file. Pull-to-push statuses are computed from its clock, ``time.time()`` plus the
configured ``clock_offset``, so that tests can move time forward.

Test tooling only: it is not part of the built collection.

Admin endpoints (no signature, not counted, not rate limited):

``GET /_sim/stats``     request counters, and per action the count and the first and last arrival time
                        (``timing``, Unix seconds)
``GET /_sim/state``     every stored configuration (``configs``), play-triggered relay (``play_relay``) and
                        pull-to-push task and group (``pull_to_push``: ``{"tasks": [...], "groups": [...]}``, each
                        task with its TaskId, GroupName, ``stopped`` flag and Unix-second times): what is stored
``GET /_sim/streams``   the streams online now, computed from the clock: ``{"online": [ITEM, ...], "down_hosts":
                        [HOST, ...]}``, each ITEM as DescribeLiveStreamInfoByPage lists it
``POST /_sim/reset``    ``{"stats": true, "state": false, "faults": true}``; ``state`` also clears the hosts marked
                        down and the history of the streams
``POST /_sim/sources``  ``{"down": [HOST, ...], "up": [HOST, ...]}`` marks source hosts down or up (at the
                        simulator's clock); answers ``{"ok": true, "down": [HOST, ...]}``
``GET /_sim/sources``   ``{"down": [HOST, ...]}``
``POST /_sim/state``    ``{"configs": [CONFIG, ...]}`` or ``{"generate": {"domain": D, "app": A, "count": N,
                        "stream_prefix": P}}`` adds configurations directly (seeding large domains); generated
                        streams are P0000, P0001, ... with the source rtmp://origin.example.com/A/<stream>;
                        ``{"pull_to_push_groups": [GROUP, ...], "pull_to_push_tasks": [BODY, ...]}`` adds groups
                        (bodies as CreatePullToPushGroup takes) and tasks (bodies as CreatePullToPushTask takes,
                        plus optional ``TaskId`` and ``stopped``; an EndTime in the past is accepted)
``POST /_sim/faults``   ``{"faults": [FAULT, ...]}`` queued in order, where FAULT is
                        ``{"kind": K, "action": A (optional), "stream": S (optional), "title": T (optional),
                        "count": N (default 1; 0 = every matching request, forever), ...}`` and K is
                        ``http500``, ``http502``, ``http504``, ``common_err``, ``error`` (with ``status``,
                        ``code``, ``message``), ``slow`` (with ``seconds``), ``malformed``,
                        ``drop_after_commit`` or ``late_commit`` (with ``seconds``, default 5, and ``answer``:
                        the write is carried out ``seconds`` after the request arrived, and ``answer`` says
                        what the client gets: ``none`` (the default) holds the connection open until then and
                        closes it without an answer, ``late`` answers after the commit (too late for a client
                        whose timeout is shorter), ``http504`` answers a gateway timeout at once and commits
                        later). A write that the late commit refuses is counted in ``errors`` and answered only
                        with ``late``
``POST /_sim/config``   ``{"rate_limit": R, "action_rates": {ACTION: R, ...}, "max_skew": S, "domains": [D, ...],
                        "clock_offset": SECONDS, "list_domain": L, "duplicate_create": C,
                        "update_without_times": U, "play_relay_update": PU, "play_relay_describe": PD,
                        "play_relay_delete": PX, "play_relay_conflict": PC, "pull_to_push_dst": TD,
                        "pull_to_push_vod_list": TV, "pull_to_push_update_status": TU,
                        "pull_to_push_group_delete": TG, "stream_online_delay": SECONDS,
                        "relay_stream_domain": RD, "never_seen_state": NS, "domain_spaces": {VHOST: {"push":
                        [D, ...], "play": [P, ...]}}}``; L, C, U and the play_relay, pull_to_push and stream modes
                        choose among behaviours that no page documents (see ``LIST_DOMAIN_MODES``,
                        ``DUPLICATE_CREATE_MODES``, ``UPDATE_WITHOUT_TIMES_MODES``, ``play_relay.py``,
                        ``pull_to_push.py`` and ``streams.py``), so that tests run the collection against each of
                        them
``GET /_sim/config``    the current configuration
``GET /_sim/signatures`` the signatures of the latest requests, so that tests can check that no
                        output ever shows one
"""

from __future__ import annotations

import collections
import datetime
import json
import os
import random
import socket
import ssl
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from volcengine.auth.SignerV4 import SignerV4
from volcengine.auth.SignParam import SignParam
from volcengine.Credentials import Credentials

from . import play_relay, pull_to_push, rules, streams

VERSION = '2023-01-01'
SERVICE = 'live'
PLAY_RELAY_ACTIONS = ('UpdateRelaySourceV3', 'DescribeRelaySourceV3', 'DeleteRelaySourceV3')
FIXED_RELAY_ACTIONS = ('CreateRelaySourceV4', 'ListRelaySourceV4', 'UpdateRelaySourceV4', 'DeleteRelaySourceV4')
PULL_TO_PUSH_ACTIONS = (
    'CreatePullToPushTask',
    'UpdatePullToPushTask',
    'StopPullToPushTask',
    'ContinuePullToPushTask',
    'DeletePullToPushTask',
    'ListPullToPushTaskV2',
    'ListPullToPushTask',
    'CreatePullToPushGroup',
    'UpdatePullToPushGroup',
    'DeletePullToPushGroup',
    'ListPullToPushGroup',
)
STREAM_ACTIONS = (
    'DescribeLiveStreamInfoByPage',
    'DescribeLiveStreamState',
    'DescribeLiveSourceStreamMetrics',
    'DescribeDomain',
    'ListDomainDetail',
)
ACTIONS = FIXED_RELAY_ACTIONS + PLAY_RELAY_ACTIONS + PULL_TO_PUSH_ACTIONS + STREAM_ACTIONS
WRITE_ACTIONS = (
    'CreateRelaySourceV4',
    'UpdateRelaySourceV4',
    'DeleteRelaySourceV4',
    'UpdateRelaySourceV3',
    'DeleteRelaySourceV3',
    'CreatePullToPushTask',
    'UpdatePullToPushTask',
    'StopPullToPushTask',
    'ContinuePullToPushTask',
    'DeletePullToPushTask',
    'CreatePullToPushGroup',
    'UpdatePullToPushGroup',
    'DeletePullToPushGroup',
)
# The HTTP method of each action that is not a POST (the API pages' and the official SDKs' own); a GET carries
# its parameters in the query string.
ACTION_METHODS = {'ListPullToPushTask': 'GET', 'DescribeLiveStreamInfoByPage': 'GET', 'DescribeLiveStreamState': 'GET'}
# The documented limits that differ from the general one (``rate_limit``, 10 per second): requests per second per
# access key.
DEFAULT_ACTION_RATES = {'ListPullToPushTaskV2': 15, 'ListPullToPushTask': 15}
DEFAULT_DOMAINS = ('pull.example.com',)
DEFAULT_ACCOUNTS = {'AKLTsimulator': 'simulator-secret-key'}
FAULT_KINDS = (
    'http500',
    'http502',
    'http504',
    'common_err',
    'error',
    'slow',
    'malformed',
    'drop_after_commit',
    'late_commit',
)
# What a client gets from a write whose commit a ``late_commit`` fault delays (see the module's docstring).
LATE_COMMIT_ANSWERS = ('none', 'late', 'http504')
# The gateway's numeric companions of its codes (ResponseMetadata.Error.CodeN), from the public common-error
# tables. Service codes (InvalidParam*, RequestForbidden*, ResourceNotFound, CommonErr, ...) carry none.
CODE_N = {
    'MissingParameter': 100002,
    'MissingAuthenticationToken': 100003,
    'MissingRequestInfo': 100004,
    'InvalidTimestamp': 100006,
    'ServiceNotFound': 100007,
    'ServiceUnavailable': 100007,
    'InvalidActionOrVersion': 100008,
    'InvalidAccessKey': 100009,
    'InvalidClientTokenId': 100009,
    'SignatureDoesNotMatch': 100010,
    'AccessDenied': 100013,
    'InternalError': 100014,
    'InternalServiceTimeout': 100016,
    'FlowLimitExceeded': 100018,
}
# How List items spell Domain; the public pages do not say. ``exact`` repeats the stored domain, ``upper``
# upper-cases it, ``trailing_dot`` writes it fully qualified, ``cname`` gives another form of it (its CDN
# alias), ``omit`` leaves the key out.
LIST_DOMAIN_MODES = ('exact', 'upper', 'trailing_dot', 'cname', 'omit')
# What a second create of an existing stream does; the public pages do not say. ``add`` stores a second
# configuration (so that tests see the duplicate), ``refuse`` answers InvalidParam, ``replace`` overwrites.
DUPLICATE_CREATE_MODES = ('add', 'refuse', 'replace')
CNAME_SUFFIX = '.volcgslb-sim.com'
# What an update without StartTime/EndTime does to a stored window; the public pages do not say. ``clear``
# makes the relay permanent, ``keep`` leaves the window as it was.
UPDATE_WITHOUT_TIMES_MODES = ('clear', 'keep')


def new_request_id():
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime('%Y%m%d%H%M%S')
    return stamp + ''.join(random.choices('0123456789ABCDEF', k=18))


def generated_configs(domain, count, app='live', stream_prefix='seed-'):
    """``count`` permanent configurations of ``domain``: streams <prefix>0000, <prefix>0001, ..."""
    for index in range(int(count)):
        stream = '%s%04d' % (stream_prefix, index)
        yield {
            'Domain': domain,
            'App': app,
            'Stream': stream,
            'SrcAddrS': ['rtmp://origin.example.com/%s/%s' % (app, stream)],
        }


class Store:
    """Relay-source configurations per domain, kept in a JSON file.

    Keys are (Domain, App, Stream). A second create of the same key adds a
    second configuration, so that tests can see a duplicate when one happens.
    """

    def __init__(self, path=None):
        self.path = path
        self.lock = threading.Lock()
        self.configs = []
        self.task_seq = 0
        if path and os.path.exists(path):
            with open(path, encoding='utf-8') as handle:
                data = json.load(handle)
            self.configs = data.get('configs', [])
            self.task_seq = data.get('task_seq', 0)

    def _save(self):
        if not self.path:
            return
        directory = os.path.dirname(os.path.abspath(self.path))
        fd, tmp = tempfile.mkstemp(dir=directory, prefix='.state-')
        with os.fdopen(fd, 'w', encoding='utf-8') as handle:
            json.dump({'configs': self.configs, 'task_seq': self.task_seq}, handle, indent=1, sort_keys=True)
        os.replace(tmp, self.path)

    @staticmethod
    def _matches(config, domain, app, stream):
        return (config['Domain'], config['App'], config['Stream']) == (domain, app, stream)

    def create(self, config, duplicate='add', now=None):
        """Store a configuration; return its task id, or None when ``duplicate='refuse'`` and it exists.

        ``_Updated`` keeps when (``now``, the simulator's clock) it was created or last updated.
        """
        with self.lock:
            key = (config['Domain'], config['App'], config['Stream'])
            existing = [c for c in self.configs if self._matches(c, *key)]
            if existing and duplicate == 'refuse':
                return None
            if existing and duplicate == 'replace':
                self.configs = [c for c in self.configs if not self._matches(c, *key)]
            self.task_seq += 1
            task_id = '%d%06d' % (int(time.time()), self.task_seq)
            self.configs.append(dict(config, _TaskId=task_id, _Updated=time.time() if now is None else now))
            self._save()
            return task_id

    def seed(self, configs, now=None):
        """Add configurations directly, not as API writes (for tests of large domains); created at ``now``."""
        with self.lock:
            for config in configs:
                self.task_seq += 1
                self.configs.append(
                    dict(config, _TaskId='seed-%d' % self.task_seq, _Updated=time.time() if now is None else now)
                )
            self._save()

    def update(self, config, without_times='clear', now=None):
        with self.lock:
            found = [c for c in self.configs if self._matches(c, config['Domain'], config['App'], config['Stream'])]
            if not found:
                return False
            for stored in found:
                keys = ('SrcAddrS', 'StartTime', 'EndTime')
                if without_times == 'keep' and 'StartTime' not in config:
                    keys = ('SrcAddrS',)
                for key in keys:
                    stored.pop(key, None)
                stored.update(config, _Updated=time.time() if now is None else now)
            self._save()
            return True

    def delete(self, domain, app, stream):
        with self.lock:
            kept = [c for c in self.configs if not self._matches(c, domain, app, stream)]
            if len(kept) == len(self.configs):
                return False
            self.configs = kept
            self._save()
            return True

    def matching(self, domain, app, stream):
        """The stored configurations of one stream (with their ``_`` keys)."""
        with self.lock:
            return [dict(c) for c in self.configs if self._matches(c, domain, app, stream)]

    def list(self, domain):
        with self.lock:
            return [
                {k: v for k, v in c.items() if not k.startswith('_')} for c in self.configs if c['Domain'] == domain
            ]

    def snapshot(self):
        with self.lock:
            return [dict(c) for c in self.configs]

    def clear(self):
        with self.lock:
            self.configs = []
            self._save()


class RateLimiter:
    """At most so many requests in any one second per (access key, action).

    An action listed in ``rates`` has its own rate, every other one ``rate``. ``rate <= 0`` is unlimited for
    every action; a listed rate ``<= 0`` for that action only.
    """

    def __init__(self, rate, rates=None):
        self.rate = rate
        self.rates = dict(rates or {})
        self.lock = threading.Lock()
        self.windows = collections.defaultdict(collections.deque)

    def rate_of(self, action):
        return self.rates.get(action, self.rate)

    def allow(self, key, now=None):
        rate = self.rate_of(key[1])
        if self.rate <= 0 or rate <= 0:
            return True
        now = time.monotonic() if now is None else now
        with self.lock:
            window = self.windows[key]
            while window and now - window[0] >= 1.0:
                window.popleft()
            if len(window) >= rate:
                return False
            window.append(now)
            return True


def forbidden():
    """The answer to a request for a domain (or domain space) that the account does not have."""
    return rules.ApiError(
        403,
        'RequestForbidden.AccountIDNotAllow',
        'this AccountID does not have permission to access the corresponding resource, '
        'please check the request parameters',
    )


def check_late_commit(fault):
    """Refuse a ``late_commit`` fault whose ``seconds`` or ``answer`` is unusable."""
    seconds = fault.get('seconds', 5)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= 3600:
        raise ValueError('late_commit: seconds must be a number from 0 to 3600, got %r' % (seconds,))
    if fault.get('answer', 'none') not in LATE_COMMIT_ANSWERS:
        raise ValueError(
            'late_commit: answer must be one of %s, got %r' % (', '.join(LATE_COMMIT_ANSWERS), fault.get('answer'))
        )


class Faults:
    """Faults queued by tests, each consumed by the next request it matches.

    A fault matches the requests of its ``action`` (any when left out) and, with ``stream``, only those whose
    body names that Stream, with ``title`` only those whose body names that Title (a GET's query string stands
    for its body). ``count`` 0 never runs out: the fault answers every matching request, forever.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.queue = []

    def add(self, faults):
        with self.lock:
            for fault in faults:
                if fault.get('kind') not in FAULT_KINDS:
                    raise ValueError('unknown fault kind %r; known: %s' % (fault.get('kind'), ', '.join(FAULT_KINDS)))
                if fault['kind'] == 'late_commit':
                    check_late_commit(fault)
                self.queue.append(dict(fault, count=int(fault.get('count', 1))))

    def take(self, action, stream=None, title=None):
        with self.lock:
            for fault in self.queue:
                if (
                    fault.get('action') in (None, action)
                    and fault.get('stream') in (None, stream)
                    and fault.get('title') in (None, title)
                ):
                    if fault['count'] == 0:
                        return fault
                    fault['count'] -= 1
                    if fault['count'] <= 0:
                        self.queue.remove(fault)
                    return fault
        return None

    def clear(self):
        with self.lock:
            self.queue = []


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.data = {
            'requests': 0,
            'by_action': {},
            'writes': 0,
            'throttled': 0,
            'auth_failures': 0,
            'errors': {},
            'faults': 0,
            'timing': {},
        }

    def called(self, action, now=None):
        """Note when a call of ``action`` arrived: per action the count and the first and last arrival."""
        now = time.time() if now is None else now
        with self.lock:
            timing = self.data['timing'].setdefault(action, {'count': 0, 'first': now, 'last': now})
            timing['count'] += 1
            timing['last'] = now

    def count(self, key, sub=None):
        with self.lock:
            if sub is None:
                self.data[key] += 1
            else:
                self.data[key][sub] = self.data[key].get(sub, 0) + 1

    def snapshot(self):
        with self.lock:
            return json.loads(json.dumps(self.data))


def _canonical_name(name):
    return '-'.join(part.capitalize() for part in name.split('-'))


def verify_signature(  # noqa: PLR0913 - the signature's inputs, as the SDK takes them
    method,
    path,
    query,
    headers,
    body,
    accounts,
    region,
    max_skew,
    now=None,
):
    """Check a request's signature with the official SDK; raise rules.ApiError when it fails.

    Returns the access key. ``headers`` maps header names to values as received.
    """
    headers = {_canonical_name(k): v for k, v in headers.items()}
    auth = headers.get('Authorization')
    if not auth:
        raise rules.ApiError(401, 'MissingAuthenticationToken', 'the request carries no Authorization header')
    try:
        algorithm, rest = auth.split(' ', 1)
        fields = dict(part.strip().split('=', 1) for part in rest.split(','))
        access_key, scope = fields['Credential'].split('/', 1)
        signed_headers = fields['SignedHeaders']
        if not fields.get('Signature'):
            raise ValueError('no signature')
    except (ValueError, KeyError):
        raise rules.ApiError(
            401, 'MissingSignature', 'the Authorization header is not of the HMAC-SHA256 form'
        ) from None
    if algorithm != 'HMAC-SHA256':
        raise rules.ApiError(401, 'MissingSignature', 'unsupported signature algorithm %r' % algorithm)
    secret = accounts.get(access_key)
    if secret is None:
        raise rules.ApiError(401, 'InvalidAccessKey', 'the access key %s does not exist' % access_key)
    x_date = headers.get('X-Date', '')
    try:
        when = datetime.datetime.strptime(x_date, '%Y%m%dT%H%M%SZ')
    except ValueError:
        raise rules.ApiError(
            400, 'InvalidTimestamp', "X-Date %r is not of the form YYYYMMDD'T'HHMMSS'Z'" % x_date
        ) from None
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    if abs((now - when).total_seconds()) > max_skew:
        raise rules.ApiError(
            400, 'InvalidTimestamp', 'X-Date %s is more than %d seconds from the server time' % (x_date, max_skew)
        )

    param = SignParam()
    param.set_method(method)
    param.set_host(headers.get('Host', ''))
    param.set_path(path or '/')
    grouped = collections.OrderedDict()  # a repeated key is signed once per value, in the order sent
    for key, value in query:
        grouped.setdefault(key, []).append(value)
    param.set_query(collections.OrderedDict((k, v[0] if len(v) == 1 else v) for k, v in grouped.items()))
    param.set_header_list(
        collections.OrderedDict(
            (k, v)
            for k, v in headers.items()
            if k != 'Authorization' and (k in ('Content-Type', 'Content-Md5', 'Host') or k.startswith('X-'))
        )
    )
    param.set_body(body)
    param.set_date(when)
    expected = SignerV4.sign_only(param, Credentials(access_key, secret, SERVICE, region, ''))
    if expected.authorization != auth:
        detail = 'signed headers %s' % signed_headers
        if scope != expected.xCredential.split('/', 1)[1]:
            detail = 'credential scope %s, expected %s' % (scope, expected.xCredential.split('/', 1)[1])
        raise rules.ApiError(401, 'SignatureDoesNotMatch', 'the request signature does not match (%s)' % detail)
    return access_key


class Simulator:
    """The simulated service: state, accounts, limits, faults and counters."""

    def __init__(  # noqa: PLR0913 - every mode of the simulator, each a command-line option
        self,
        state_path=None,
        accounts=None,
        domains=DEFAULT_DOMAINS,
        region='cn-north-1',
        rate_limit=10,
        max_skew=900,
        list_domain='exact',
        duplicate_create='add',
        update_without_times='clear',
        play_relay_update='upsert',
        action_rates=None,
        relay_stream_domain='push',
        never_seen_state='offline',
        stream_online_delay=streams.DEFAULT_ONLINE_DELAY,
    ):
        self.store = Store(state_path)
        self.streams = streams.StreamStore(state_path + '.streams' if state_path else None)
        self.play_relay = play_relay.PlayRelayStore(state_path + '.play_relay' if state_path else None)
        self.pull_to_push = pull_to_push.PullToPushStore(state_path + '.pull_to_push' if state_path else None)
        self.accounts = dict(accounts or DEFAULT_ACCOUNTS)
        self.domains = {d.lower() for d in domains}
        self.region = region
        self.limiter = RateLimiter(rate_limit, DEFAULT_ACTION_RATES if action_rates is None else action_rates)
        self.clock_offset = 0.0
        self.max_skew = max_skew
        self.faults = Faults()
        self.stats = Stats()
        self.signatures = collections.deque(maxlen=200)
        self.list_domain = 'exact'
        self.duplicate_create = 'add'
        self.update_without_times = 'clear'
        self.play_relay_update = 'upsert'
        self.play_relay_describe = 'every_app'
        self.play_relay_delete = 'vhost_only'
        self.play_relay_conflict = 'allow'
        self.pull_to_push_dst = 'url'
        self.pull_to_push_vod_list = 'as_sent'
        self.pull_to_push_update_status = 'keep'
        self.pull_to_push_group_delete = 'refuse'
        self.relay_stream_domain = 'push'
        self.never_seen_state = 'offline'
        self.stream_online_delay = streams.DEFAULT_ONLINE_DELAY
        self.domain_spaces = {}
        self.configure(
            {
                'list_domain': list_domain,
                'duplicate_create': duplicate_create,
                'update_without_times': update_without_times,
                'play_relay_update': play_relay_update,
                'relay_stream_domain': relay_stream_domain,
                'never_seen_state': never_seen_state,
                'stream_online_delay': stream_online_delay,
            }
        )
        self.httpd = None
        self.thread = None

    def now(self):
        """The simulator's clock (Unix seconds): the host's, moved by ``clock_offset``."""
        return time.time() + self.clock_offset

    # --- the API -----------------------------------------------------------

    def handle_api(self, action, body):
        """Carry out one authenticated action; return its Result (or None) or raise rules.ApiError.

        ``body`` is the JSON body, or for a GET action its query parameters (every value a string).
        """
        for actions, handler in (
            (FIXED_RELAY_ACTIONS, self._fixed_relay),
            (PLAY_RELAY_ACTIONS, self._play_relay),
            (PULL_TO_PUSH_ACTIONS, self._pull_to_push),
            (STREAM_ACTIONS, self._streams),
        ):
            if action in actions:
                return handler(action, body)
        raise rules.ApiError(404, 'InvalidActionOrVersion', 'unknown action %s' % action)

    def _fixed_relay(self, action, body):
        """CreateRelaySourceV4, UpdateRelaySourceV4, DeleteRelaySourceV4 and ListRelaySourceV4."""
        if action == 'CreateRelaySourceV4':
            config = rules.check_config(body)
            self._check_domain(config['Domain'])
            if self.duplicate_create == 'replace':
                self._archive_relay(config['Domain'], config['App'], config['Stream'])
            task_id = self.store.create(config, self.duplicate_create, self.now())
            if task_id is None:
                raise rules.invalid(
                    'the relay source of %s/%s/%s already exists' % (config['Domain'], config['App'], config['Stream'])
                )
            self.stats.count('writes')
            return {'TaskId': task_id}
        if action == 'UpdateRelaySourceV4':
            config = rules.check_config(body)
            self._check_domain(config['Domain'])
            self._archive_relay(config['Domain'], config['App'], config['Stream'])
            if not self.store.update(config, self.update_without_times, self.now()):
                raise rules.ApiError(
                    404,
                    'ResourceNotFound',
                    'no relay source for %s/%s/%s' % (config['Domain'], config['App'], config['Stream']),
                )
            self.stats.count('writes')
            return None
        if action == 'DeleteRelaySourceV4':
            if not isinstance(body, dict):
                raise rules.bind_error('the body must be a JSON object')
            domain, app, stream = rules.check_key(body)
            self._check_domain(domain)
            self._archive_relay(domain, app, stream)
            if not self.store.delete(domain, app, stream):
                raise rules.ApiError(404, 'ResourceNotFound', 'no relay source for %s/%s/%s' % (domain, app, stream))
            self.stats.count('writes')
            return None
        # ListRelaySourceV4
        if not isinstance(body, dict):
            raise rules.bind_error('the body must be a JSON object')
        domain = rules.check_domain(body)
        page, size = rules.check_page(body)
        self._check_domain(domain)
        items = self.store.list(domain)
        total = len(items)
        first, last = (page - 1) * size, page * size
        return {
            'List': [self._list_item(item) for item in items[first:last]],
            'Pagination': {
                'PageCur': page,
                'PageSize': size,
                'PageTotal': (total + size - 1) // size,
                'TotalCount': total,
            },
        }

    def _play_relay(self, action, body):
        """UpdateRelaySourceV3, DescribeRelaySourceV3, DeleteRelaySourceV3, as the play_relay modes say."""
        if not isinstance(body, dict):
            raise rules.bind_error('the body must be a JSON object')
        if action == 'UpdateRelaySourceV3':
            vhost, app, groups = play_relay.check_update(body)
            self._check_vhost(vhost)
            if app and self.play_relay_conflict == 'refuse' and any(c['App'] == app for c in self.store.list(vhost)):
                raise rules.invalid(
                    'App %s of %s already has a fixed relay source (RelaySourceV4): an App cannot have both a '
                    'fixed and a play-triggered relay' % (app, vhost)
                )
            self.play_relay.update(vhost, app, groups, self.play_relay_update)
            self.stats.count('writes')
            return None
        vhost = play_relay._vhost(body)
        self._check_vhost(vhost)
        app = play_relay._app(body) if 'App' in body else None
        group = body.get('Group') or None
        if action == 'DescribeRelaySourceV3':
            return {'RelaySourceConfigList': self.play_relay.describe(vhost, app, group, self.play_relay_describe)}
        if not self.play_relay.delete(vhost, app, group, self.play_relay_delete):
            raise rules.ApiError(404, 'ResourceNotFound', 'no play-triggered relay for %s %s %s' % (vhost, app, group))
        self.stats.count('writes')
        return None

    def _pull_to_push(self, action, body):
        """The pull-to-push task and group actions, as the pull_to_push modes say."""
        store = self.pull_to_push
        if not isinstance(body, dict):
            raise rules.bind_error('the body must be a JSON object')
        if action in ('ListPullToPushTaskV2', 'ListPullToPushTask'):
            groups, title, page, size = pull_to_push.check_task_list(body, get=action == 'ListPullToPushTask')
            tasks = store.list(groups, title)
            now = self.now()
            first, last = (page - 1) * size, page * size
            return {
                'List': [
                    pull_to_push.list_item(
                        task,
                        now,
                        self.pull_to_push_dst,
                        self.pull_to_push_vod_list,
                        with_group=action == 'ListPullToPushTaskV2',
                    )
                    for task in tasks[first:last]
                ],
                'Pagination': {
                    'PageCur': page,
                    'PageSize': size,
                    'PageTotal': (len(tasks) + size - 1) // size,
                    'TotalCount': len(tasks),
                },
            }
        if action == 'ListPullToPushGroup':
            page, size = pull_to_push.check_group_list(body)
            groups = store.list_groups()
            return {'List': groups[(page - 1) * size : page * size], 'Total': len(groups)}
        result = None
        if action == 'CreatePullToPushTask':
            result = {'TaskId': store.create(pull_to_push.check_task(body, self.now()))}
            self.streams.started(result['TaskId'], self.now())
        elif action == 'UpdatePullToPushTask':
            task_id = pull_to_push.task_id(body)
            task = pull_to_push.check_task(body, self.now())
            self._archive_tasks(lambda stored: stored['TaskId'] == task_id)
            store.update(task_id, task, resume=self.pull_to_push_update_status == 'resume')
            self.streams.started(task_id, self.now())
        elif action in ('StopPullToPushTask', 'ContinuePullToPushTask', 'DeletePullToPushTask'):
            self._task_state(action, body)
        elif action == 'CreatePullToPushGroup':
            store.create_group(pull_to_push.check_group(body))
        elif action == 'UpdatePullToPushGroup':
            store.update_group(pull_to_push.check_group(body))
        else:  # DeletePullToPushGroup
            name = pull_to_push.group_key(body)
            self._archive_tasks(lambda stored: stored['GroupName'] == name)
            store.delete_group(name, self.pull_to_push_group_delete)
        self.stats.count('writes')
        return result

    def _task_state(self, action, body):
        """StopPullToPushTask, ContinuePullToPushTask, DeletePullToPushTask; a continued task begins again."""
        task_id = pull_to_push.task_id(body)
        group = pull_to_push.group_name(body) if body.get('GroupName') else None
        was = [task for task in self.pull_to_push.list() if task['TaskId'] == task_id]
        if action != 'ContinuePullToPushTask':
            self._archive_tasks(lambda stored: stored['TaskId'] == task_id)
        if action == 'DeletePullToPushTask':
            self.pull_to_push.delete(task_id, group)
        else:
            self.pull_to_push.set_stopped(task_id, group, action == 'StopPullToPushTask')
        if action == 'ContinuePullToPushTask' and was and was[0]['stopped']:
            self.streams.started(task_id, self.now())

    # --- stream delivery ---------------------------------------------------

    def _relay_sources(self, configs):
        events = self.streams.host_events()
        return [
            streams.source(
                streams.RELAY,
                config['Domain'],
                config['App'],
                config['Stream'],
                streams.relay_periods(config, events, self.stream_online_delay),
            )
            for config in configs
        ]

    def _task_sources(self, tasks):
        began, answer = self.streams.began(), []
        for task in tasks:
            destination = streams.task_destination(task, self.domains)
            if destination is not None:
                periods = streams.task_periods(task, began.get(task['TaskId']), self.stream_online_delay)
                answer.append(streams.source(streams.PUSH, *destination, periods))
        return answer

    def _archive_relay(self, domain, app, stream):
        """Keep what the configurations of one stream were online until now, before a write changes them."""
        self.streams.archive(self._relay_sources(self.store.matching(domain, app, stream)), self.now())

    def _archive_tasks(self, chosen):
        """Keep what the ``chosen`` tasks' destinations were online until now, before a write changes them."""
        tasks = [task for task in self.pull_to_push.list() if chosen(task)]
        self.streams.archive(self._task_sources(tasks), self.now())

    def spaces(self):
        return streams.Spaces(self.domain_spaces, self.domains)

    def stream_view(self):
        """Every stream the relays and tasks make, now and before, as the listing sees them."""
        sources = self._relay_sources(self.store.snapshot()) + self._task_sources(self.pull_to_push.list())
        return streams.streams_view(sources + self.streams.past(), self.spaces(), self.relay_stream_domain)

    def _check_stream_domain(self, spaces, domain='', vhost=''):
        if (domain and not spaces.known_domain(domain)) or (vhost and not spaces.known_vhost(vhost)):
            raise forbidden()

    def _streams(self, action, body):
        """DescribeLiveStreamInfoByPage, DescribeLiveStreamState and DescribeLiveSourceStreamMetrics."""
        if not isinstance(body, dict):
            raise rules.bind_error('the body must be a JSON object')
        now, spaces = self.now(), self.spaces()
        if action == 'DescribeDomain':  # the account's domains asked for; another one is left out of the answer
            found = [spaces.describe(name) for name in streams.check_describe_domain(body)]
            return {'DomainList': [item for item in found if item is not None]}
        if action == 'ListDomainDetail':
            page, size, filters = streams.check_list_domain_detail(body)
            items = [
                item
                for item in spaces.every_domain()
                if (filters['VhostList'] is None or item['Vhost'] in filters['VhostList'])
                and (filters['DomainTypeList'] is None or item['Type'] in filters['DomainTypeList'])
            ]
            return {'DomainList': items[(page - 1) * size : page * size], 'Total': len(items)}
        if action == 'DescribeLiveStreamInfoByPage':
            filters = streams.check_listing(body)
            self._check_stream_domain(spaces, filters['Domain'], filters['Vhost'])
            return streams.listing(self.stream_view(), filters, now)
        if action == 'DescribeLiveStreamState':
            domain, vhost, app, stream = streams.check_state_query(body)
            self._check_stream_domain(spaces, domain, vhost)
            candidates = streams.named(self.stream_view(), domain, vhost, app, stream)
            return streams.state_answer(candidates, now, self.never_seen_state)
        query = streams.check_metrics(body, now)
        self._check_stream_domain(spaces, query['Domain'])
        answer = {key: query[key] for key in ('Domain', 'App', 'Stream', 'StartTime', 'EndTime')}
        answer['Aggregation'] = streams.AGGREGATION
        answer['MetricList'] = streams.metric_list(streams.metrics_stream(self.stream_view(), query), query, now)
        return answer

    def _list_item(self, item):
        """A stored configuration as List answers it, Domain spelled as ``list_domain`` says."""
        item = dict(item)
        mode = self.list_domain
        if mode == 'omit':
            item.pop('Domain')
        elif mode == 'upper':
            item['Domain'] = item['Domain'].upper()
        elif mode == 'trailing_dot':
            item['Domain'] += '.'
        elif mode == 'cname':
            item['Domain'] += CNAME_SUFFIX
        return item

    def configure(self, body):  # noqa: PLR0912 - one branch per mode the control API sets
        """Apply ``POST /_sim/config``; every key is checked before any is applied."""
        for key, modes in (
            ('list_domain', LIST_DOMAIN_MODES),
            ('duplicate_create', DUPLICATE_CREATE_MODES),
            ('update_without_times', UPDATE_WITHOUT_TIMES_MODES),
            ('play_relay_update', play_relay.UPDATE_MODES),
            ('play_relay_describe', play_relay.DESCRIBE_MODES),
            ('play_relay_delete', play_relay.DELETE_MODES),
            ('play_relay_conflict', play_relay.CONFLICT_MODES),
            ('pull_to_push_dst', pull_to_push.DST_MODES),
            ('pull_to_push_vod_list', pull_to_push.VOD_LIST_MODES),
            ('pull_to_push_update_status', pull_to_push.UPDATE_STATUS_MODES),
            ('pull_to_push_group_delete', pull_to_push.GROUP_DELETE_MODES),
            ('relay_stream_domain', streams.RELAY_STREAM_DOMAIN_MODES),
            ('never_seen_state', streams.NEVER_SEEN_STATE_MODES),
        ):
            if key in body and body[key] not in modes:
                raise ValueError('%s must be one of %s, got %r' % (key, ', '.join(modes), body[key]))
        if 'action_rates' in body:
            rates = body['action_rates']
            if not isinstance(rates, dict):
                raise ValueError('action_rates must map actions to requests per second, got %r' % (rates,))
            for action, rate in rates.items():
                if action not in ACTIONS:
                    raise ValueError('action_rates: unknown action %r' % (action,))
                if isinstance(rate, bool) or not isinstance(rate, (int, float)):
                    raise ValueError('action_rates: the rate of %s must be a number, got %r' % (action, rate))
        if 'clock_offset' in body and (
            isinstance(body['clock_offset'], bool) or not isinstance(body['clock_offset'], (int, float))
        ):
            raise ValueError('clock_offset must be a number of seconds, got %r' % (body['clock_offset'],))
        spaces = self._checked_spaces(body)
        if 'rate_limit' in body:
            self.limiter.rate = float(body['rate_limit'])
        if 'action_rates' in body:
            self.limiter.rates = {action: float(rate) for action, rate in body['action_rates'].items()}
        if 'clock_offset' in body:
            self.clock_offset = float(body['clock_offset'])
        if 'max_skew' in body:
            self.max_skew = int(body['max_skew'])
        if 'domains' in body:
            self.domains.update(d.lower() for d in body['domains'])
        self.domain_spaces = spaces
        if 'stream_online_delay' in body:
            self.stream_online_delay = float(body['stream_online_delay'])
        if 'list_domain' in body:
            self.list_domain = body['list_domain']
        if 'duplicate_create' in body:
            self.duplicate_create = body['duplicate_create']
        if 'update_without_times' in body:
            self.update_without_times = body['update_without_times']
        for key in (
            'play_relay_update',
            'play_relay_describe',
            'play_relay_delete',
            'play_relay_conflict',
            'pull_to_push_dst',
            'pull_to_push_vod_list',
            'pull_to_push_update_status',
            'pull_to_push_group_delete',
            'relay_stream_domain',
            'never_seen_state',
        ):
            if key in body:
                setattr(self, key, body[key])

    def _checked_spaces(self, body):
        """The domain spaces after ``body`` (its own, or the current ones with its domains); raise ValueError."""
        delay = body.get('stream_online_delay', 0)
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0:
            raise ValueError('stream_online_delay must be a number of seconds, 0 or more, got %r' % (delay,))
        domains = set(self.domains)
        if 'domains' in body:
            if not isinstance(body['domains'], list) or not all(isinstance(d, str) for d in body['domains']):
                raise ValueError('domains must be a list of domains, got %r' % (body['domains'],))
            domains.update(d.lower() for d in body['domains'])
        return streams.check_domain_spaces(body.get('domain_spaces', self.domain_spaces), domains)

    def config(self):
        return {
            'rate_limit': self.limiter.rate,
            'action_rates': dict(self.limiter.rates),
            'max_skew': self.max_skew,
            'clock_offset': self.clock_offset,
            'domains': sorted(self.domains),
            'list_domain': self.list_domain,
            'duplicate_create': self.duplicate_create,
            'update_without_times': self.update_without_times,
            'play_relay_update': self.play_relay_update,
            'play_relay_describe': self.play_relay_describe,
            'play_relay_delete': self.play_relay_delete,
            'play_relay_conflict': self.play_relay_conflict,
            'pull_to_push_dst': self.pull_to_push_dst,
            'pull_to_push_vod_list': self.pull_to_push_vod_list,
            'pull_to_push_update_status': self.pull_to_push_update_status,
            'pull_to_push_group_delete': self.pull_to_push_group_delete,
            'stream_online_delay': self.stream_online_delay,
            'relay_stream_domain': self.relay_stream_domain,
            'never_seen_state': self.never_seen_state,
            'domain_spaces': self.spaces().effective(),
        }

    def _check_domain(self, domain):
        if domain.lower() not in self.domains:
            raise forbidden()

    def _check_vhost(self, vhost):
        """A Vhost of play-triggered relay: one of the domain spaces (of ``domain_spaces``, or a domain's own when it
        is in none); a domain of a configured space is no Vhost, so its play-triggered relay is the space's."""
        if not self.spaces().known_vhost(vhost):
            raise forbidden()

    # --- admin -------------------------------------------------------------

    def handle_admin(self, method, path, body):  # noqa: PLR0911, PLR0912 - one branch per path of the control API
        if method == 'GET' and path == '/_sim/stats':
            return self.stats.snapshot()
        if method == 'GET' and path == '/_sim/signatures':
            return {'signatures': list(self.signatures)}
        if method == 'GET' and path == '/_sim/state':  # what is stored: it changes only with writes
            return {
                'configs': self.store.snapshot(),
                'play_relay': self.play_relay.snapshot(),
                'pull_to_push': self.pull_to_push.snapshot(),
            }
        if method == 'GET' and path == '/_sim/streams':  # computed from the clock: it changes without writes
            return {'online': self._online_now(), 'down_hosts': self.streams.down_hosts()}
        if method == 'POST' and path == '/_sim/state':
            body = body or {}
            configs = list(body.get('configs', []))
            if 'generate' in body:
                configs.extend(generated_configs(**body['generate']))
            configs = [rules.check_config(config) for config in configs]
            groups = [pull_to_push.check_group(group) for group in body.get('pull_to_push_groups', [])]
            tasks = [self._seeded_task(task) for task in body.get('pull_to_push_tasks', [])]
            answer = {'ok': True, 'added': len(configs) + len(groups) + len(tasks)}
            if groups or tasks:  # checked in full before anything is added
                answer['task_ids'] = self.pull_to_push.seed(groups, tasks)
            self.store.seed(configs, self.now())
            return answer
        if method == 'POST' and path == '/_sim/reset':
            body = body or {}
            if body.get('stats', True):
                self.stats.reset()
            if body.get('faults', True):
                self.faults.clear()
            if body.get('state', False):
                self.store.clear()
                self.play_relay.clear()
                self.pull_to_push.clear()
                self.streams.clear()
            return {'ok': True}
        if path == '/_sim/sources' and method in ('GET', 'POST'):
            if method == 'POST':
                down, up = streams.check_hosts({} if body is None else body)
                self.streams.mark(down, up, self.now())
            return dict({'ok': True} if method == 'POST' else {}, down=self.streams.down_hosts())
        if method == 'POST' and path == '/_sim/faults':
            self.faults.add((body or {}).get('faults', []))
            return {'ok': True, 'queued': len(self.faults.queue)}
        if method == 'POST' and path == '/_sim/config':
            self.configure(body or {})
            return dict(self.config(), ok=True)
        if method == 'GET' and path == '/_sim/config':
            return self.config()
        return None

    def _online_now(self):
        """The streams online now, as DescribeLiveStreamInfoByPage lists them."""
        now = self.now()
        return [streams.list_item(stream, now) for stream in self.stream_view() if streams.session(stream, now)]

    @staticmethod
    def _seeded_task(body):
        """A task body of ``POST /_sim/state``: as a create takes it (any EndTime), plus TaskId and stopped."""
        task = pull_to_push.check_task(body)
        if body.get('TaskId') is not None:
            task['TaskId'] = pull_to_push.task_id(body)
        if not isinstance(body.get('stopped', False), bool):
            raise ValueError('stopped must be true or false')
        task['stopped'] = body.get('stopped', False)
        return task

    # --- lifecycle ---------------------------------------------------------

    def start(self, host='127.0.0.1', port=0, tls=None):
        """Serve on ``host``:``port`` (0: any free port); ``tls``: ``(certificate file, key file)`` for HTTPS."""
        simulator = self

        class BoundHandler(Handler):
            sim = simulator

        self.httpd = ThreadingHTTPServer((host, port), BoundHandler)
        self.httpd.daemon_threads = True
        self.scheme = 'http'
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = 'https'

        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={'poll_interval': 0.05}, name='live-simulator', daemon=True
        )
        self.thread.start()
        return self

    @property
    def port(self):
        return self.httpd.server_address[1]

    @property
    def endpoint(self):
        return '%s://127.0.0.1:%d' % (getattr(self, 'scheme', 'http'), self.port)

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


class Handler(BaseHTTPRequestHandler):
    sim = None  # set by Simulator.start()
    protocol_version = 'HTTP/1.1'
    server_version = 'LiveSimulator/1.0'

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the counters tell what happened."""

    def do_GET(self):  # noqa: N802 - http.server naming
        self._dispatch('GET')

    def do_POST(self):  # noqa: N802
        self._dispatch('POST')

    def _read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def _send(self, status, payload, raw=None):
        data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', 'application/json; charset=utf-8' if raw is None else 'text/plain')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self, method):
        url = urlsplit(self.path)
        raw_body = self._read_body()
        if url.path.startswith('/_sim/'):
            try:
                body = json.loads(raw_body) if raw_body else None
                answer = self.sim.handle_admin(method, url.path, body)
            except (ValueError, rules.ApiError) as exc:
                self._send(400, {'error': str(exc)})
                return
            if answer is None:
                self._send(404, {'error': 'no such admin endpoint %s %s' % (method, url.path)})
            else:
                self._send(200, answer)
            return
        self._api(method, url, raw_body)

    def _api(  # noqa: PLR0911, PLR0912, PLR0915 - the request pipeline: one branch per check the service makes, in its order
        self,
        method,
        url,
        raw_body,
    ):
        sim = self.sim
        query = parse_qsl(url.query, keep_blank_values=True)
        params = dict(query)
        action = params.get('Action', '')
        version = params.get('Version', '')
        meta = {
            'RequestId': new_request_id(),
            'Action': action,
            'Version': version,
            'Service': SERVICE,
            'Region': sim.region,
        }
        sim.stats.count('requests')
        sim.stats.count('by_action', action or '(none)')
        sim.stats.called(action or '(none)')

        def fail(error):
            sim.stats.count('errors', error.code)
            meta['Error'] = {'Code': error.code, 'Message': error.message}
            if error.code in CODE_N:
                meta['Error']['CodeN'] = CODE_N[error.code]
            self._send(error.status, {'ResponseMetadata': meta})

        signature = (self.headers.get('Authorization') or '').rpartition('Signature=')[2]
        if signature:
            sim.signatures.append(signature)
        try:
            access_key = verify_signature(
                method, url.path, query, dict(self.headers.items()), raw_body, sim.accounts, sim.region, sim.max_skew
            )
        except rules.ApiError as error:
            sim.stats.count('auth_failures')
            fail(error)
            return
        if action not in ACTIONS or version != VERSION:
            fail(
                rules.ApiError(
                    404, 'InvalidActionOrVersion', 'the action %r of version %r does not exist' % (action, version)
                )
            )
            return
        expected = ACTION_METHODS.get(action, 'POST')
        if method != expected:
            fail(rules.ApiError(405, 'MethodNotAllowed', '%s accepts %s only' % (action, expected)))
            return
        if not sim.limiter.allow((access_key, action)):
            sim.stats.count('throttled')
            fail(rules.ApiError(429, 'FlowLimitExceeded', 'Request rate exceeds the limit of the account'))
            return

        if method == 'GET':  # the parameters are in the query string, a repeated one as a list
            body = {}
            for key, value in query:
                if key in ('Action', 'Version'):
                    continue
                if key in body:
                    body[key] = (body[key] if isinstance(body[key], list) else [body[key]]) + [value]
                else:
                    body[key] = value
        else:
            try:
                body = json.loads(raw_body.decode('utf-8')) if raw_body else {}
            except ValueError:
                body = None
        named = body if isinstance(body, dict) else {}  # a fault may be for one stream or title only
        fault = sim.faults.take(action, named.get('Stream'), named.get('Title'))
        if fault:
            sim.stats.count('faults')
            if self._fault(fault, meta, fail):
                return

        if body is None:
            fail(rules.bind_error('the body is not valid JSON'))
            return
        if fault and fault['kind'] == 'late_commit':
            self._late_commit(fault, action, body, meta, fail)
            return
        try:
            result = sim.handle_api(action, body)
        except rules.ApiError as error:
            fail(error)
            return
        if fault and fault['kind'] == 'drop_after_commit':
            self._drop()
            return
        answer = {'ResponseMetadata': meta}
        if result is not None:
            answer['Result'] = result
        self._send(200, answer)

    def _fault(self, fault, meta, fail):
        """Apply a fault; return True when the request ends here."""
        kind = fault['kind']
        if kind == 'http500':
            fail(rules.ApiError(500, 'InternalError', 'an internal error occurred, please contact the administrator.'))
        elif kind == 'http502':
            fail(
                rules.ApiError(
                    502, 'InternalServiceError', 'an internal error occurred, please contact the administrator.'
                )
            )
        elif kind == 'http504':
            fail(
                rules.ApiError(
                    504, 'InternalServiceTimeout', 'Internal Service is timeout. please contact the administrator.'
                )
            )
        elif kind == 'common_err':
            fail(rules.ApiError(200, 'CommonErr', 'unclassified error'))
        elif kind == 'error':
            fail(
                rules.ApiError(
                    int(fault.get('status', 400)),
                    fault.get('code', 'InvalidParam'),
                    fault.get('message', 'injected error'),
                )
            )
        elif kind == 'malformed':
            self._send(200, None, raw=b'{"ResponseMetadata": {"RequestId": "' + meta['RequestId'].encode() + b'"')
        elif kind == 'slow':
            time.sleep(float(fault.get('seconds', 5)))
            return False
        else:  # drop_after_commit, late_commit: handled when the action is carried out
            return False
        return True

    def _late_commit(self, fault, action, body, meta, fail):
        """Carry the action out ``seconds`` after it arrived; answer as the fault's ``answer`` says."""
        seconds = float(fault.get('seconds', 5))
        answer = fault.get('answer', 'none')
        if answer == 'http504':
            timer = threading.Timer(seconds, self._commit, args=(action, body))
            timer.daemon = True
            timer.start()
            fail(
                rules.ApiError(
                    504, 'InternalServiceTimeout', 'Internal Service is timeout. please contact the administrator.'
                )
            )
            return
        time.sleep(seconds)
        try:
            result = self.sim.handle_api(action, body)
        except rules.ApiError as error:
            if answer == 'late':
                self._answer_late(fail, error)
            else:
                self.sim.stats.count('errors', error.code)
                self._drop()
            return
        if answer != 'late':
            self._drop()
            return
        payload = {'ResponseMetadata': meta}
        if result is not None:
            payload['Result'] = result
        self._answer_late(self._send, 200, payload)

    def _commit(self, action, body):
        """Carry out an action whose answer was already sent (``late_commit`` with ``answer: http504``)."""
        try:
            self.sim.handle_api(action, body)
        except rules.ApiError as error:
            self.sim.stats.count('errors', error.code)

    def _answer_late(self, send, *args):
        """Answer a client that may have given up and closed the connection."""
        try:
            send(*args)
        except OSError:
            self.close_connection = True

    def _drop(self):
        """Close the connection without an answer (the action was carried out)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
