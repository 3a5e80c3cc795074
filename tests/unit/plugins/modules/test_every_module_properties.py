# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Property-based, over the whole argument spec of every module: no traceback for any input (issue 30).

Each example starts from valid arguments of one module (credentials, required options, a valid window) and
replaces one to three options, or suboptions of a list or dict option, with a valid-looking or a hostile value:
non-finite and huge numbers, 5000 digits, full-width digits and superscripts, CJK, RTL marks, NUL and other
control characters, trailing newlines, surrounding spaces, wrong types, empty and very long strings. It runs the
module by a path a task takes (a module process or in-process, drawn per example) against an in-memory fake of
the HTTP layer that answers as the project's simulator does (``tools/live_simulator``, called without its HTTP
server). Then:

* the run ends in a result or a clean failure (``failed`` with a ``msg``), never a traceback; a failure before
  any request names an option (ansible-core's own argument-spec errors do, and are clean failures);
* every request that reached the HTTP layer is one the API takes: a URL and headers that ``requests`` sends,
  a positive finite timeout a socket takes, a JSON body without NaN or Infinity, every integer within int32
  (the wire type of Live's times, counts and pages), every domain, host and port plain ASCII matched whole
  (``\\A...\\Z``: no trailing newline), names, titles and group names as the API pages give them, no
  control character in any string;
* no secret (``secret_key``, ``session_token``, and ``access_key`` when it holds a control character) shows
  in the result, its message or warnings; a credential with a control character (a trailing newline of a
  pasted key) fails, naming the option, before any request.

Each example also draws the world a ``wait`` meets: relays that come online, origins that stay down (the wait runs
out), listings that fail on a passing fault until the end, or a domain the account may not describe. The clock of
the module, the pacer and the service moves only with the module's sleeps, so a wait of a day ends at once; the
result of a wait that ran out or failed must be documented like any other.

``test_known_hostile_input`` runs the inputs of issue 30 by both paths, whatever the draws of the property find.
"""

from __future__ import annotations

import contextlib
import copy
import importlib
import json
import math
import re
import socket
import tempfile
import threading
import time
import traceback
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.volcengine.live.plugins.module_utils._core import connection as _connection
from ansible_collections.volcengine.live.plugins.module_utils._core import module as _module
from ansible_collections.volcengine.live.plugins.plugin_utils._in_process import run_in_worker, unsupported_reason
from ansible_collections.volcengine.live.tests.unit.helpers import harness
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import FakeResponse
from ansible_collections.volcengine.live.tools.live_simulator import rules as sim_rules
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

MODULES = (
    'relay_source',
    'relay_sources',
    'relay_source_info',
    'play_relay_source',
    'play_relay_source_info',
    'pull_to_push_task',
    'pull_to_push_task_info',
    'pull_to_push_group',
    'stream_info',
)
DEFINITIONS = {
    name: importlib.import_module('ansible_collections.volcengine.live.plugins.modules.%s' % name).DEFINITION
    for name in MODULES
}

# Budget: examples per module (one test each). An example is one run of the module by the module-process or the
# in-process path (drawn per example) against the in-memory fake: about 5-8 ms with Hypothesis' own work, more for
# pull_to_push_task (a look, a plan and up to three writes). 9 modules, 8000 examples in all: about 65-75 s on one
# core under ansible-test's forked runner when every property holds; a failing one adds its shrinking (today,
# with all eight of the first modules failing: about 110 s).
MAX_EXAMPLES = {
    'relay_source': 1000,
    'relay_sources': 1000,
    'relay_source_info': 800,
    'play_relay_source': 1000,
    'play_relay_source_info': 800,
    'pull_to_push_task': 1200,
    'pull_to_push_task_info': 800,
    'pull_to_push_group': 1000,
    'stream_info': 600,
}

AK, SK, TOKEN = 'AKLTpropZq9Access', 'prop-secret-Zq9Wx', 'prop-token-Zq9Yv'
CREDENTIAL_MARKERS = {'access_key': AK, 'secret_key': SK, 'session_token': TOKEN}
CREDENTIALS = tuple(CREDENTIAL_MARKERS)
ALIASES = {'ak': 'access_key', 'sk': 'secret_key'}
DOMAIN, PUSH = 'pull.example.com', 'push.example.com'
START = (int(time.time()) // 3600 + 2) * 3600
END = START + 3 * 3600
OPENED = int(time.time()) - 600  # a window open now, for the examples that wait
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
CONTROL_RE = re.compile('[\x00-\x1f\x7f-\x9f]')
NAME_RE = re.compile(r'\A[A-Za-z0-9_.\-]+\Z')
LABEL = r'[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?'
DOMAIN_RE = re.compile(r'\A(?=[^\n]{1,254}\Z)%s(?:\.%s)+\.?\Z' % (LABEL, LABEL))
# A domain space as the domain APIs may name it, when it is not a domain name.
SPACE_NAME_RE = re.compile(r'\A[A-Za-z0-9][A-Za-z0-9_\-]{0,63}\Z')
HOST_RE = re.compile(r'\A(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.\-]+)\Z')
PORT_RE = re.compile(r'\A[0-9]{1,5}\Z')
# Titles and group names of pull-to-push: 1 to 20 Chinese characters, letters or digits (the API pages).
CJK = '\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff'
TITLE_RE = re.compile(r'\A[A-Za-z0-9%s]{1,20}\Z' % CJK)
URL_KEYS = ('SrcAddr', 'SrcAddrS', 'DstAddr', 'CallbackURL')
GROUP_ACTIONS = ('CreatePullToPushGroup', 'UpdatePullToPushGroup', 'DeletePullToPushGroup')
TASK_WRITES = ('CreatePullToPushTask', 'UpdatePullToPushTask')
LONGEST_SLEEP = 86400  # a single wait longer than a day is a hung task, whatever asked for it

CONNECTION = dict(access_key=AK, secret_key=SK, timeout=5, retry_max_delay=0.5)
URL_A = 'rtmp://origin-a.example.com/live/match42'
URL_B = 'rtmp://origin-b.example.com:1936/live/match42'
BASES = {
    'relay_source': [
        dict(domain=DOMAIN, app='live', stream='match42', src_addrs=[URL_A, URL_B], start_time=START, end_time=END),
        dict(domain=DOMAIN, app='live', stream='match42', state='absent'),
        dict(domain=DOMAIN, app='live', stream='waited', src_addrs=[URL_A], wait=True, wait_timeout=30),
    ],
    'relay_sources': [
        dict(
            domain=DOMAIN,
            relay_sources=[
                dict(app='live', stream='a1', src_addrs=[URL_A], start_time=START, end_time=END),
                dict(app='live', stream='a2', src_addrs=['http://origin-b.example.com:8080/live/a2.flv']),
            ],
            purge=True,
            purge_apps=['live'],
        ),
        dict(
            domain=DOMAIN,
            relay_sources=[
                dict(app='live', stream='w1', src_addrs=[URL_A], start_time=OPENED, end_time=END),
                dict(app='live', stream='w2', src_addrs=[URL_B]),
                dict(app='live', stream='w3', src_addrs=[URL_A], start_time=START, end_time=END),
            ],
            wait=True,
            wait_timeout=600,
        ),
    ],
    'relay_source_info': [dict(domain=DOMAIN, app='live', stream='match42')],
    'stream_info': [
        dict(domain=DOMAIN, app='live', stream='match42', source_type='relay', metrics=True, metrics_minutes=10),
        dict(vhost=DOMAIN, app='live'),
        dict(domain=DOMAIN, source_type='push'),
    ],
    'play_relay_source': [
        dict(
            vhost=DOMAIN,
            app='live',
            group='g1',
            servers=[
                dict(address='origin-a.example.com:1935', protocol='rtmp', params={'token': 'abc'}),
                dict(address='203.0.113.7', protocol='flv'),
            ],
        ),
        dict(vhost=DOMAIN, group='g1', state='absent'),
    ],
    'play_relay_source_info': [dict(vhost=DOMAIN, app='live', group='g1')],
    'pull_to_push_task': [
        dict(
            title='launch2026',
            type='live',
            source_url='rtmp://pull.example.com/live/launch',
            destination_url='rtmp://ingest.example.net/app/key0001',
            start_time=START,
            end_time=END,
            callback_url='https://hooks.example.com/live?x=1',
        ),
        dict(
            title='vod2026',
            group='g2',
            type='vod',
            vod_sources=[
                dict(url='https://vod.example.com/a.mp4', start_offset=1.5, end_offset=20),
                dict(url='https://vod.example.com/b.mp4'),
            ],
            domain=PUSH,
            app='live',
            stream='launch',
            start_time=START,
            end_time=END,
            cycle_mode=1,
            play_times=2,
        ),
        dict(
            title='restream2026',
            type='live',
            source_url='rtmp://pull.example.com/live/launch',
            domain=PUSH,
            app='live',
            stream='restream',
            start_time=OPENED,
            end_time=END,
            wait=True,
            wait_timeout=120,
        ),
        dict(
            title='launch2026',
            state='stopped',
            type='live',
            source_url='rtmp://pull.example.com/live/old',
            destination_url='rtmp://ingest.example.net/app/key0001',
            start_time=START,
            end_time=END,
        ),
    ],
    'pull_to_push_task_info': [dict(groups=['default', 'g2'], title_contains='launch')],
    'pull_to_push_group': [dict(name='g2', project_name='default', tags={'env': 'prod'})],
}

NAN, INF = float('nan'), float('inf')
HUGE_DIGITS = '9' * 5000  # 10**5000 written out: more digits than int() reads (4300)
FRACTION_5000 = '2026-12-31T20:00:00.' + '0' * 5000 + '+08:00'
HOSTILE = [
    NAN,
    INF,
    -INF,
    1e300,
    -1e300,
    1e-300,
    -0.0,
    0,
    -1,
    INT32_MAX,
    INT32_MAX + 1,
    INT32_MIN - 1,
    2**63,
    -(2**63),
    10**30,
    True,
    False,
    '',
    ' ',
    '\n',
    '\x00',
    'x\x00y',
    HUGE_DIGITS,
    '9' * 25,
    '\u00b2',
    '\uff11\uff12\uff13',
    '\u0663',
    '\u4e2d\u6587',
    '\u202ehello',
    'a' * 5000,
    '\t',
    '\x7f',
    '\x85',
    '\U0001f3a5',
    'null',
    '.inf',
    'NaN',
    '-1',
    '1e300',
    [],
    ['a'],
    [1, 2],
    {},
    {'a': 1},
    {'a': {'b': []}},
    [[]],
]
URLS = [
    'rtmp://origin.example.com:\u00b2/live/s',
    'rtmp://origin.example.com:\uff11\uff19\uff13\uff15/live/s',
    'rtmp://origin\x00.example.com/live/s',
    'rtmp://origin.example.com/live/s\n',
    'rtmp://\u4f8b\u5b50.com/live/s',
    'rtmp://[2001:db8::1]:1935/live/s',
    'rtmp://[2001:db8::1/live/s',
    'rtmp://origin.example.com:0/l',
    'rtmp://origin.example.com:65536/l',
    'rtmp://origin.example.com:' + '9' * 30 + '/l',
    'rtmp://origin.example.com:' + HUGE_DIGITS + '/l',
    'rtmp://:1935/l',
    'rtmp:///l',
    'RTMP://ORIGIN.EXAMPLE.COM/L',
    'http://o.example.com/a b',
    'rtmp://o.example.com/\u202e',
    'rtmp://user:pass@o.example.com/l',
    'rtmp://o.example.com/' + 'a' * 5000,
    'https://vod.example.com/a.mp4',
    'rtmp://o.example.com%0a.evil/l',
    'rtmp://o.example.com/l?x=\x00',
    'rtmp://o.example.com\t/l',
    'srt://o.example.com:9000?streamid=x',
    'rtmp://o.example.com:+1935/l',
    'rtmp://o.example.com:\u0661\u0669\u0663\u0665/l',
]
DOMAINS = [
    'pull\n.example.com',
    'pull.example.com\n',
    'pull.example.com\x00',
    'PULL.EXAMPLE.COM',
    'pull.example.com.',
    ' pull.example.com ',
    'pull.exam ple.com',
    '\uff50ull.example.com',
    'pull.\u4f8b\u5b50.com',
    'a' * 64 + '.com',
    'a.' * 130 + 'com',
    '192.168.0.1',
    'pull..example.com',
    '-pull.example.com',
    'pull.example.com:1935',
    'pull_x.example.com',
    PUSH,
]
ADDRESSES = [
    'origin.example.com:\u00b2',
    'origin.example.com:\uff11\uff19\uff13\uff15',
    'origin.example.com:\u0661\u0669\u0663\u0665',
    'origin\x00.example.com:1935',
    'origin.example.com:0',
    'origin.example.com:65536',
    'origin.example.com:' + HUGE_DIGITS,
    '[2001:db8::1]:1935',
    '[2001:db8::1',
    'origin.example.com:1935\n',
    'origin.example.com:+1935',
    'origin.example.com: 1935',
    'rtmp://origin.example.com',
    'origin.example.com:-1',
    'origin.\u4f8b\u5b50.com',
    '203.0.113.7:1935',
    'origin.example.com:',
]
NAMES = [
    'live_x',
    'live-x',
    'live.x',
    'a' * 21,
    'a' * 31,
    'a' * 101,
    '\u4e2d\u6587',
    '\uff4c\uff49\uff56\uff45',
    'live\n',
    'li ve',
    'g' * 20,
    'my_group',
    'my-group',
    '\u7ec4\u4e00',
    '\u3400',
    '\uf900',
    '\u0661\u0662',
    '\u216b',
    '\u00e9t\u00e9',
    'live\u200b',
]
TIMES = [
    NAN,
    INF,
    -INF,
    1e300,
    START + 0.5,
    float(START),
    INT32_MAX,
    INT32_MAX + 1,
    INT32_MIN - 1,
    0,
    -1,
    10**13,
    HUGE_DIGITS,
    '9' * 19,
    '9' * 20,
    FRACTION_5000,
    '2026-12-31T20:00:00.' + '1' * 40 + 'Z',
    '2026-12-31T20:00:00+08:00\n',
    '\uff12\uff10\uff12\uff16-12-31T20:00:00+08:00',
    str(START) + '\n',
    ' %d ' % START,
    '+%d' % START,
    '-%d' % START,
    ''.join(chr(0xFF10 + int(d)) for d in str(START)),
    str(START) + '\u00b2',
    '9999-12-31T23:59:59+00:00',
    '0001-01-01T00:00:00+00:00',
    '2026-02-30T00:00:00Z',
    '2026-12-31T20:00:00+99:99',
    '2026-12-31T20:00:00-23:59',
    '2026-12-31 20:00:00',
    '%d.0' % START,
    '%de3' % START,
]
NUMBERS = [
    NAN,
    INF,
    -INF,
    1e300,
    -1e300,
    1e-300,
    -1e-300,
    5e-324,
    -0.0,
    0,
    -1,
    2**63,
    10**30,
    'nan',
    'inf',
    '-inf',
    '1e309',
    '1e300',
    '1e-300',
    '0x10',
    '\uff15',
    '\u00b2',
    ' 5 ',
    '5\n',
    HUGE_DIGITS,
    '1_000',
]
INTEGERS = [
    0,
    -1,
    1,
    INT32_MAX,
    INT32_MAX + 1,
    INT32_MIN,
    INT32_MIN - 1,
    2**63,
    -(2**63) - 1,
    str(2**31),
    '\uff11\uff12',
    '\u00b2',
    1.5,
    1e300,
    NAN,
    INF,
    '0x10',
    ' 7 ',
    '7\n',
    HUGE_DIGITS,
    '1' * 19,
]
PATHS_ON_DISK = ['/', '/nonexistent/x.json', '', '.', '/dev/null', tempfile.gettempdir(), '/nonexistent\n', 'x\x00y']
ENDPOINTS = [
    'https://live.volcengineapi.com\n',
    'https://live.volcengineapi.com:\u00b2',
    'https://live.volcengineapi.com:\uff11\uff14\uff14\uff13',
    'https://\u4f8b\u5b50.com',
    'http://127.0.0.1:1',
    'http://localhost:8080',
    'https://[::1',
    'https://live.volcengineapi.com/\x00',
    'ftp://live.volcengineapi.com',
    'https://',
    'https://live.volcengineapi.com:0',
    'https://live.volcengineapi.com:99999',
    'https://live.volcengineapi.com:' + HUGE_DIGITS,
    'https://user:pw@live.volcengineapi.com',
    'https://live.volcengineapi.com/x?y=1#z',
    ' https://live.volcengineapi.com',
    'https://live\tvolcengineapi.com',
]
BY_NAME = {
    'domain': DOMAINS,
    'vhost': DOMAINS + ['space1', 'Space_1', '-space', 'space 1', 'space1\n', 's' * 65, '_space'],
    'address': ADDRESSES,
    'src_addrs': URLS,
    'source_url': URLS,
    'source_urls': URLS,
    'destination_url': URLS,
    'callback_url': URLS,
    'url': URLS,
    'endpoint': ENDPOINTS,
    'app': NAMES,
    'stream': NAMES,
    'title': NAMES,
    'title_contains': NAMES,
    'group': NAMES,
    'groups': NAMES,
    'name': NAMES,
    'purge_apps': NAMES,
    'project_name': NAMES,
    'task_id': ['123\n', ' 1 ', '1' * 5000, '../x', '\uff11', 'abc'],
    'start_time': TIMES,
    'end_time': TIMES,
    'start_offset': NUMBERS,
    'end_offset': NUMBERS,
    'timeout': NUMBERS,
    'retry_max_delay': NUMBERS,
    'rate_limit': NUMBERS,
    'retries': INTEGERS,
    'cycle_mode': INTEGERS,
    'play_times': INTEGERS,
    'region': ['cn-north-1\n', '\u4e2d', 'cn north', 'a' * 5000, 'cn-north-1\r\nX-Evil: 1', 'CN-NORTH-1'],
    'profile': ['default', '\n', 'x' * 5000, 'default\n'],
    'profile_file': PATHS_ON_DISK,
    'ca_path': PATHS_ON_DISK,
    'validate_certs': ['yes', 'no', 'maybe', 2, 'off'],
    'allow_insecure_http': ['yes', 'no', 'maybe', 2],
    'purge': ['yes', 'maybe', 2],
    'state': ['present', 'absent', 'stopped', 'PRESENT', 'present\n'],
    'type': ['live', 'vod', 'LIVE', 'vod\n'],
    'protocol': ['rtmp', 'flv', 'RTMP', 'rtmp\n', 'hls'],
    'params': [
        {'': ''},
        {'k\n': 'v'},
        {'k': 'v\x00'},
        {'k': 'v\n'},
        {'k': 1},
        {'k': None},
        {'k': ['a']},
        {'\u4e2d': '\u6587'},
        {'k' * 300: 'v'},
        {'k': 'a b&c=d'},
    ],
    'tags': [
        {'': ''},
        {'k\n': 'v'},
        {'k': 'v\x00'},
        {'k': 1},
        {'k': None},
        {'k': ['a']},
        {'\u4e2d': '\u6587'},
        {'k' * 300: 'v' * 300},
    ],
}


def credential_values(marker):
    """Values of a credential option: the marker with control characters, spaces or other text around it."""
    return [
        marker + '\n',
        marker + '\r\n',
        '\n' + marker,
        '\x00' + marker,
        marker + '\x00',
        ' %s ' % marker,
        marker + '\x7f',
        marker + '\x85',
        marker + '\t',
        marker + '\u2028',
        marker + '\u4e2d',
        '%s %s' % (marker, marker),
        marker,
        marker * 200,
    ]


for _option, _marker in CREDENTIAL_MARKERS.items():
    BY_NAME[_option] = credential_values(_marker)


def derived(value):
    """Variants of a valid value: around it, inside it, longer, and in other scripts."""
    if isinstance(value, bool):
        return [not value, str(value), int(value)]
    if isinstance(value, (int, float)):
        return [value + 0.5, -value, value * 2**31, str(value), str(value) + '\n', ' %s ' % value, [value]]
    if not isinstance(value, str) or not value:
        return []
    full_width = ''.join(chr(0xFF10 + int(ch)) if ch.isdigit() else ch for ch in value)
    return [
        value + '\n',
        ' %s ' % value,
        value + '\x00',
        value + '\r\n',
        '\n' + value,
        value + '\u202e',
        value.upper(),
        value + '_x',
        value + '-x',
        value * 40,
        full_width,
        value + '\u00b2',
        value + '\u4e2d',
        value[:1],
        [value],
        {'v': value},
    ]


def option_spec(spec, path):
    """The spec entry of ``path`` (a tuple of option names and list indexes), or None for a dict's key."""
    entry = {'options': spec}
    for step in path:
        if isinstance(step, int):
            continue
        options = entry.get('options') or {}
        if step not in options:
            return None
        entry = options[step]
    return entry


def option_paths(spec, args):
    """Every option of ``spec``, and every suboption and list item that ``args`` holds."""
    paths = [(name,) for name in spec]
    for name, entry in spec.items():
        value = args.get(name)
        if not isinstance(value, list):
            continue
        for index, item in enumerate(value):
            paths.append((name, index))
            if isinstance(item, dict) and entry.get('options'):
                paths.extend((name, index, sub) for sub in entry['options'])
    return paths


def values_for(spec, path, base):
    """A strategy for the value of ``path``: from its own pool, variants of the valid value, or hostile ones."""
    leaf = [step for step in path if not isinstance(step, int)][-1]
    entry = option_spec(spec, path) or {}
    current = lookup(base, path)
    pool = list(BY_NAME.get(leaf, [])) + derived(current) + list(HOSTILE)
    if entry.get('choices'):
        pool.extend(entry['choices'])
    if isinstance(path[-1], int) and leaf in BY_NAME:  # one item of a list option
        pool = list(BY_NAME[leaf]) + derived(current) + list(HOSTILE)
    randoms = st.one_of(
        st.text(max_size=30),
        st.integers(),
        st.floats(),
        st.lists(st.text(max_size=5), max_size=3),
    )
    return st.one_of(st.sampled_from(pool), st.sampled_from(pool), st.sampled_from(pool), randoms, st.none())


def lookup(args, path):
    value = args
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return None
        elif not isinstance(value, dict):
            return None
        value = value[step] if isinstance(step, int) else value.get(step)
    return value


def assign(args, path, value):
    """Set ``path`` of ``args`` to ``value`` (None: leave the option out), where its container still is one."""
    container = args
    for step in path[:-1]:
        container = lookup(container, (step,))
        if container is None:
            return
    last = path[-1]
    if isinstance(last, int):
        if isinstance(container, list) and last < len(container):
            if value is None:
                del container[last]
            else:
                container[last] = value
    elif isinstance(container, dict):
        if value is None:
            container.pop(last, None)
        else:
            container[last] = value


@st.composite
def cases(draw, name):
    """``(args, mutated paths, path, check_mode, world)`` of one example of module ``name``."""
    spec = DEFINITIONS[name].argument_spec
    base = draw(st.sampled_from(BASES[name]))
    args = copy.deepcopy(dict(CONNECTION, **base))
    paths = option_paths(spec, args)
    chosen = draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True))
    for path in chosen:
        assign(args, path, draw(values_for(spec, path, args)))
    run_path = draw(st.sampled_from(runnable_paths()))
    check_mode = draw(st.sampled_from([False, False, False, True]))
    world = draw(st.sampled_from(WORLDS))
    return args, chosen, run_path, check_mode, world


def runnable_paths():
    return harness.PATHS if not unsupported_reason() else ('module',)


# --- the fake HTTP layer ------------------------------------------------------------------------------------


REAL_MONOTONIC = time.monotonic
# The worlds a wait meets: what the service does to the relays and to the looks (``Wire.meet``).
WORLDS = ('delivered', 'delivered', 'origins_down', 'listing_fails', 'domain_denied')
ORIGIN_HOSTS = ['origin-a.example.com', 'origin-b.example.com', 'origin.example.com', 'pull.example.com']


class Clock:
    """The pacer's clock, everybody's monotonic clock and sleep: a wait moves the clocks on at once; a wait
    time.sleep() refuses (NaN, negative, too large) raises as it would, and a wait of more than a day is a hung
    task."""

    def __init__(self, problems):
        self.offset = 0.0
        self.problems = problems
        self.lock = threading.Lock()

    def time(self):
        return time.time() + self.offset

    def monotonic(self):
        return REAL_MONOTONIC() + self.offset

    def sleep(self, seconds):
        if isinstance(seconds, float) and math.isnan(seconds):
            raise ValueError('Invalid value NaN (not a number)')
        if seconds < 0:
            raise ValueError('sleep length must be non-negative')
        if seconds > 9.2e9:
            raise OverflowError('timestamp out of range for platform time_t')
        if seconds > LONGEST_SLEEP:
            self.problems.append('a wait of %.3g s (a hung task)' % seconds)
        with self.lock:
            self.offset += seconds


class Wire:
    """``requests.Session`` in front of the simulator's API (no HTTP server, no signature check): records every
    request, checks it as the API and ``requests`` would, and answers as the simulator does."""

    def __init__(self, world='delivered'):
        self.sim = Simulator(accounts={AK: SK}, domains=[DOMAIN, PUSH], rate_limit=0)
        self.sent = []
        self.problems = []
        self.reached = False
        self.lock = threading.Lock()
        self.trust_env = True
        self.headers = {}
        self.clock = None
        self.failing = {}
        for action, body in SEED:
            self.sim.handle_api(action, copy.deepcopy(body))
        self.meet(world)

    def meet(self, world):
        """Make the service of ``world`` (one of :data:`WORLDS`)."""
        if world == 'origins_down':
            self.sim.handle_admin('POST', '/_sim/sources', {'down': ORIGIN_HOSTS})
        elif world == 'listing_fails':  # a fault that may pass, every time
            self.failing['DescribeLiveStreamInfoByPage'] = sim_rules.ApiError(500, 'InternalError', 'try again')
        elif world == 'domain_denied':
            self.failing['DescribeDomain'] = sim_rules.ApiError(403, 'AccessDenied', 'no permission')

    def close(self):
        pass

    def post(self, url, data=None, **options):
        return self._send('POST', url, data, options)

    def get(self, url, **options):
        return self._send('GET', url, b'', options)

    def _send(self, method, url, data, options):
        query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        action = dict(query).get('Action', '?')
        problems, body = request_problems(method, url, query, data, options, action)
        with self.lock:
            self.sent.append(action)
            self.problems.extend('%s: %s' % (action, problem) for problem in problems)
            if self.clock is not None:  # the service's clock is the module's
                self.sim.clock_offset = self.clock.offset
            return self._answer(action, body)

    def _answer(self, action, body):
        meta = {'RequestId': 'rid-%d' % len(self.sent), 'Action': action, 'Version': '2023-01-01'}
        if body is None:
            error = sim_rules.bind_error('the body is not valid JSON')
        elif action in self.failing:
            error = self.failing[action]
        else:
            try:
                result = self.sim.handle_api(action, body)
            except sim_rules.ApiError as exc:
                error = exc
            except Exception as exc:  # pylint: disable=broad-exception-caught
                self.problems.append('%s: the simulator cannot read the request (%r)' % (action, exc))
                error = sim_rules.ApiError(500, 'InternalError', 'an internal error occurred')
            else:
                answer = {'ResponseMetadata': meta}
                if result is not None:
                    answer['Result'] = result
                return FakeResponse(200, answer)
        meta['Error'] = {'Code': error.code, 'Message': error.message}
        return FakeResponse(error.status, {'ResponseMetadata': meta})


SEED = [
    ('CreateRelaySourceV4', {'Domain': DOMAIN, 'App': 'live', 'Stream': 'match42', 'SrcAddrS': [URL_A]}),
    ('CreateRelaySourceV4', {'Domain': DOMAIN, 'App': 'live', 'Stream': 'old', 'SrcAddrS': [URL_A]}),
    (
        'UpdateRelaySourceV3',
        {
            'Vhost': DOMAIN,
            'App': 'live',
            'GroupDetails': [
                {
                    'Group': 'g1',
                    'Servers': [{'RelaySourceDomain': 'origin-x.example.com', 'RelaySourceProtocol': 'flv'}],
                }
            ],
        },
    ),
    ('CreatePullToPushGroup', {'Name': 'g2', 'ProjectName': 'default'}),
    (
        'CreatePullToPushTask',
        {
            'Title': 'launch2026',
            'Type': 0,
            'SrcAddr': 'rtmp://pull.example.com/live/old',
            'DstAddr': 'rtmp://ingest.example.net/app/key0001',
            'StartTime': START,
            'EndTime': END,
        },
    ),
]


def _no_constant(name):
    raise ValueError('%s is not JSON' % name)


def request_problems(method, url, query, data, options, action):  # noqa: PLR0913 - a request as the wire recorded it
    """What about one request the API or ``requests`` would refuse; and its body (None: not JSON)."""
    problems = url_problems('the URL', url)
    timeout = options.get('timeout')
    waits = timeout if isinstance(timeout, tuple) and len(timeout) == 2 else (timeout,)  # or (connect, answer)
    if any(isinstance(wait, bool) or not isinstance(wait, (int, float)) or not 0 < wait < math.inf for wait in waits):
        problems.append('timeout %r is no positive finite number of seconds' % (timeout,))
    else:
        with contextlib.closing(socket.socket()) as probe:
            try:
                for wait in waits:
                    probe.settimeout(wait)
            except (OverflowError, ValueError) as exc:
                problems.append('timeout %r: a socket refuses it (%s)' % (timeout, exc))
    verify = options.get('verify')
    if not isinstance(verify, (bool, str)):
        problems.append('verify %r is neither a bool nor a CA bundle path' % (verify,))
    for header, value in (options.get('headers') or {}).items():
        try:
            requests.utils.check_header_validity((header, value))
            value.encode('latin-1')
        except (requests.exceptions.InvalidHeader, UnicodeError, AttributeError):
            problems.append('the header %s is not one requests sends (its value not shown: it may hold a key)' % header)
    if method == 'GET':
        body = {}
        for key, value in query:
            if key not in ('Action', 'Version'):
                body[key] = body[key] + [value] if isinstance(body.get(key), list) else value
        walk(body, None, action, problems)
        return problems, body
    try:
        body = json.loads(data.decode('utf-8'), parse_constant=_no_constant)
    except (ValueError, AttributeError) as exc:
        problems.append('the body is not strict JSON (%s)' % exc)
        return problems, None
    walk(body, None, action, problems)
    return problems, body


def shown(value):
    text = repr(value)
    return text if len(text) <= 80 else '%s...(%d characters)' % (text[:60], len(text))


def url_problems(what, url):
    if CONTROL_RE.search(url) or any(ch.isspace() for ch in url):
        return ['%s %s holds white space or a control character' % (what, shown(url))]
    netloc = urlsplit(url).netloc.rpartition('@')[2]
    match = re.match(r'\A(\[[^\]]*\]|[^:]*)(?::(.*))?\Z', netloc)
    host, port = match.groups() if match else (netloc, None)
    problems = []
    if not HOST_RE.match(host):
        problems.append(
            '%s %s has a host other than ASCII letters, digits, "-", "_" and "." or an IP' % (what, shown(url))
        )
    if port is not None and not (PORT_RE.match(port) and 0 < int(port) < 65536):
        problems.append('%s %s has a port that is not 1 to 65535 in ASCII digits' % (what, shown(url)))
    return problems


def walk(value, key, action, problems):
    """Check every value of a body; ``key``: the field that holds it."""
    if isinstance(value, dict):
        for field, item in value.items():
            walk(item, field, action, problems)
    elif isinstance(value, list):
        for item in value:
            walk(item, key, action, problems)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not INT32_MIN <= value <= INT32_MAX:
            problems.append('%s=%s does not fit the int32 of the wire' % (key, shown(value)))
    elif isinstance(value, float):
        if not math.isfinite(value):
            problems.append('%s=%r is not a JSON number' % (key, value))
    elif isinstance(value, str):
        string_problems(value, key, action, problems)


def string_problems(value, key, action, problems):
    # No field of the API takes a control character: each is a name, a host, a URL, a tag or a project of a
    # documented alphabet, or lands in a URL or header. (A List's Title is a filter: it only finds nothing.)
    if CONTROL_RE.search(value) and not (key == 'Title' and action.startswith('List')):
        problems.append('%s=%s holds a control character' % (key, shown(value)))
    if key == 'Domain' and value and not DOMAIN_RE.match(value):
        problems.append('%s=%s is not a domain name' % (key, shown(value)))
    elif key == 'Vhost' and value and not (DOMAIN_RE.match(value) or SPACE_NAME_RE.match(value)):
        problems.append('%s=%s is neither a domain name nor a domain space name' % (key, shown(value)))
    elif key == 'RelaySourceDomain':
        match = re.match(r'\A(\[[^\]]*\]|[^:]*)(?::(.*))?\Z', value)
        host, port = match.groups() if match else (value, None)
        if not HOST_RE.match(host) or (port is not None and not (PORT_RE.match(port) and 0 < int(port) < 65536)):
            problems.append('%s=%s is not a host with an optional port 1-65535 in ASCII' % (key, shown(value)))
    elif key in URL_KEYS:
        problems.extend(url_problems(key, value))
    elif key == 'App' and value and not (len(value) <= 30 and NAME_RE.match(value)):
        problems.append('%s=%s is not 1-30 letters, digits, "_", "-" or "."' % (key, shown(value)))
    elif key == 'Stream' and value and not (len(value) <= 100 and NAME_RE.match(value)):
        problems.append('%s=%s is not 1-100 letters, digits, "_", "-" or "."' % (key, shown(value)))
    elif key == 'Title' and action in TASK_WRITES and not TITLE_RE.match(value):
        problems.append('%s=%s is not 1-20 Chinese characters, letters or digits' % (key, shown(value)))
    elif (key in ('GroupName', 'GroupNames') or (key == 'Name' and action in GROUP_ACTIONS)) and not TITLE_RE.match(
        value
    ):
        problems.append('%s=%s is not a group name (1-20 Chinese characters, letters or digits)' % (key, shown(value)))


# --- one run ------------------------------------------------------------------------------------------------


def has_nul(value):
    if isinstance(value, str):
        return '\x00' in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


def run_once(name, args, path, check_mode=False, world='delivered'):  # noqa: PLR0913 - one example's draws
    """``(result or None, traceback text or None, wire)`` of one run of module ``name`` by ``path`` in ``world``."""
    definition = DEFINITIONS[name]
    args = dict(args, _ansible_check_mode=check_mode)
    if has_nul(args):
        # A task's no_log keeps AnsibleModule from logging the invocation to syslog, which refuses a NUL before
        # the module's code runs: the module itself must then cope with it.
        args['_ansible_no_log'] = True
    wire = Wire(world)
    clock = wire.clock = Clock(wire.problems)
    real_with_profile = _module.with_profile

    def with_profile(*a, **kw):  # the first of the collection's code after AnsibleModule took the arguments
        wire.reached = True
        return real_with_profile(*a, **kw)

    pacing = tempfile.mkdtemp(prefix='live-pacing-')
    real_pacer = _connection.Pacer

    def pacer(*a, **kw):
        return real_pacer(*a, directory=pacing, clock=clock.time, sleep=clock.sleep, **kw)

    with (
        mock.patch.object(requests, 'Session', lambda: wire),
        mock.patch.object(time, 'sleep', clock.sleep),
        mock.patch.object(time, 'monotonic', clock.monotonic),
        mock.patch.object(_connection, 'Pacer', pacer),
        mock.patch.object(_module, 'with_profile', with_profile),
    ):
        if path == 'in_process':
            with harness.fresh_process():
                stdout, stderr, rc = run_in_worker(definition, harness.module_args(definition, args))
            if rc and 'Traceback' in stderr:
                return None, stderr, wire
            return harness.parse(stdout)[0], None, wire
        try:
            return harness.run_main(definition, args)[0], None, wire
        except Exception:  # pylint: disable=broad-exception-caught
            return None, traceback.format_exc(), wire


# What ansible-core puts into every result, whatever the module: not the module's to document.
CORE_KEYS = {'changed', 'failed', 'msg', 'invocation', 'warnings', 'deprecations', 'diff', 'exception', 'skipped'}


def documented_returns(name):
    """RETURN of module ``name``: ``{key: {nested key: ...}}``, the keys of ``contains`` nested."""
    module = importlib.import_module('ansible_collections.volcengine.live.plugins.modules.%s' % name)
    return _keys(yaml.safe_load(module.RETURN) or {})


def _keys(entries):
    return {key: _keys(entry.get('contains') or {}) for key, entry in entries.items()}


def undocumented(result, documented, where=''):
    """The keys of ``result`` (dicts nested in dicts, and in lists of dicts, where RETURN says what they contain)
    that RETURN does not name."""
    missing = []
    for key, value in result.items():
        if not where and key in CORE_KEYS:
            continue
        if key not in documented:
            missing.append(where + key)
            continue
        inner = documented[key]
        items = value if isinstance(value, list) else [value]
        for item in items:
            if inner and isinstance(item, dict):
                missing.extend(undocumented(item, inner, '%s%s.' % (where, key)))
    return missing


def option_names(spec):
    names = set()
    for option, entry in spec.items():
        names.add(option)
        names.update(entry.get('aliases') or ())
        names.update(option_names(entry.get('options') or {}))
    return names


def bad_credentials(args):
    """The credential options whose value holds a control character."""
    found = []
    for key, value in args.items():
        option = ALIASES.get(key, key)
        if option in CREDENTIALS and isinstance(value, str) and CONTROL_RE.search(value):
            found.append(option)
    return found


def check(name, args, path, check_mode=False, mutated=None, world='delivered'):  # noqa: PLR0913 - one example
    """Run one example and assert the properties of the module docstring, each on a line of its own (Hypothesis
    reports each distinct failing line as a distinct bug); return its result."""
    result, trace, wire = run_once(name, args, path, check_mode, world)
    assert trace is None, 'a traceback escaped the module:\n%s' % trace
    # Not the invocation: AnsibleModule echoes the arguments there and masks its no_log ones (or fails to: 2.19
    # shows them when a list of dicts has an item of the wrong type, before the module's code runs).
    text = json.dumps({k: v for k, v in (result or {}).items() if k != 'invocation'}, default=repr)
    if harness.mask_secrets is not None:
        text = harness.mask_secrets(text)
    leaked = [option for option in ('secret_key', 'session_token') if CREDENTIAL_MARKERS[option] in text]
    assert not leaked, 'the value of %s shows in the result: %s' % (leaked, text[:600])
    bad = bad_credentials(args)
    if 'access_key' in bad:  # not a secret, but a key with a control character is one pasted wrong
        assert AK not in text, 'an access_key with a control character shows in the result: %s' % text[:600]
    assert not wire.problems, 'requests the API refuses were sent:\n%s' % '\n'.join(dict.fromkeys(wire.problems))
    if bad:
        assert result.get('failed') and not wire.sent, 'credentials %s with a control character: sent %s, got %s' % (
            bad,
            wire.sent,
            text[:300],
        )
        if mutated is not None and {ALIASES.get(p[0], p[0]) for p in mutated} <= set(CREDENTIALS):
            assert any(option in result['msg'] for option in CREDENTIALS), result['msg']
    missing = sorted(set(undocumented(result, documented_returns(name))))
    assert not missing, 'the result has keys its RETURN does not document: %s' % missing
    if not result.get('failed'):
        return result
    msg = result.get('msg')
    assert isinstance(msg, str) and msg.strip(), 'a failure without a message: %s' % text[:600]
    # AnsibleModule's own refusals (before the module's code runs) are clean, whatever they say; so is a message
    # whose words core masked because a secret's value is one of them.
    if not wire.sent and wire.reached and '********' not in msg:
        names = option_names(DEFINITIONS[name].argument_spec)
        assert any(re.search(r'(?<![A-Za-z_])%s(?![A-Za-z_])' % re.escape(n), msg) for n in names), (
            'a failure before any request names no option: %s' % msg[:600]
        )
    return result


@pytest.mark.parametrize('name', MODULES)
def test_every_option_gives_a_result_or_a_clean_failure(name):
    @settings(
        max_examples=MAX_EXAMPLES[name],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(name))
    def property_of_module(case):
        args, mutated, path, check_mode, world = case
        check(name, args, path, check_mode, mutated, world)

    property_of_module()


# The inputs of issue 30, whatever the property's draws find: (module, option path, value).
KNOWN = [
    ('relay_source', ('start_time',), INF),
    ('relay_source', ('start_time',), NAN),
    ('relay_source', ('end_time',), HUGE_DIGITS),
    ('relay_source', ('start_time',), FRACTION_5000),
    ('relay_source', ('domain',), 'pull\n.example.com'),
    ('relay_source', ('timeout',), INF),
    ('relay_source', ('timeout',), 1e300),
    ('relay_source', ('retry_max_delay',), NAN),
    ('relay_source', ('rate_limit',), 1e-300),
    ('relay_source', ('secret_key',), SK + '\n'),
    ('relay_source', ('session_token',), TOKEN + '\x07'),
    ('relay_source', ('access_key',), AK + '\r\n'),
    ('relay_sources', ('relay_sources', 0, 'end_time'), HUGE_DIGITS),
    ('relay_source_info', ('domain',), 'pull.example.com\n'),
    ('play_relay_source', ('servers', 0, 'address'), 'origin.example.com:\u00b2'),
    ('play_relay_source', ('servers', 0, 'address'), 'origin.example.com:\uff11\uff19\uff13\uff15'),
    ('play_relay_source', ('servers', 0, 'address'), 'origin\x00.example.com:1935'),
    ('play_relay_source_info', ('vhost',), 'pull.example.com\x00'),
    ('pull_to_push_task', ('vod_sources', 0, 'start_offset'), NAN),
    ('pull_to_push_task', ('cycle_mode',), 2**31),
    ('pull_to_push_task', ('play_times',), 2**31),
    ('pull_to_push_task', ('start_time',), HUGE_DIGITS),
    ('pull_to_push_task_info', ('groups', 0), 'my_group'),
    ('pull_to_push_group', ('name',), 'my_group'),
    ('pull_to_push_group', ('name',), 'my-group'),
]


def known_case(name, path, value):
    bases = [base for base in BASES[name] if lookup(base, path[:1]) is not None] or BASES[name]
    args = copy.deepcopy(dict(CONNECTION, **bases[0]))
    assign(args, path, value)
    return args


@pytest.mark.parametrize('path', harness.PATHS)
@pytest.mark.parametrize(
    ('name', 'option', 'value'), KNOWN, ids=['%s-%s-%d' % (k[0], k[1][-1], i) for i, k in enumerate(KNOWN)]
)
def test_known_hostile_input(name, option, value, path):
    if path not in runnable_paths():
        pytest.skip('the in-process path does not run here: %s' % unsupported_reason())
    check(name, known_case(name, option, value), path, mutated=[option])


# The examples that wait, in every world a wait meets, whatever the draws of the property reach: (module, base).
WAITING = [(name, index) for name in MODULES for index, base in enumerate(BASES[name]) if base.get('wait')]


@pytest.mark.parametrize('world', sorted(set(WORLDS)))
@pytest.mark.parametrize('path', harness.PATHS)
@pytest.mark.parametrize(('name', 'index'), WAITING, ids=['%s-%d' % case for case in WAITING])
def test_a_wait_in_every_world_ends_in_a_documented_result(name, index, path, world):
    if path not in runnable_paths():
        pytest.skip('the in-process path does not run here: %s' % unsupported_reason())
    args = copy.deepcopy(dict(CONNECTION, **BASES[name][index]))
    result = check(name, args, path, world=world)
    delivery = result.get('delivery')
    if world == 'delivered' or (world == 'origins_down' and name == 'pull_to_push_task'):  # a task needs no origin
        assert not result.get('failed') and delivery['online'] and not delivery['not_online'], result
    elif world == 'domain_denied':
        assert result['failed'] and result['changed'] and result['error']['action'] == 'DescribeDomain', result
    else:  # the wait ran out: the origins never came back, or the listing never answered
        assert result['failed'] and result['changed'], result
        assert 'wait_timeout' in result['msg'] or result['error']['action'] == 'DescribeLiveStreamInfoByPage', result
