# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks of the volcengine.live collection. Prints numbers; asserts nothing.

Run through tools/bench.sh, which sets up the environment and starts nothing else:
this script starts its own simulators.

1. per-task overhead: median wall time of relay_source in check mode without credentials
   against ansible.builtin.ping, over the same number of tasks on localhost;
2. convergence: N streams from an empty simulator that enforces 10 requests/s, forks 10; wall time,
   API calls by action, throttled answers, ratio to the floor (the larger of calls per action / 10 and
   the same play with ansible.builtin.ping), then the same play again (nothing to change);

1 and 2 run on a local connection, where the action plugin runs the module's code in Ansible's worker
process (what users of localhost, AWX and execution environments get). For comparison, both are also
measured with volcengine_live_in_process=false, which runs a module process per task as on any other
connection.
3. signing: signatures per second of the collection's signer and of the official SDK's.
4. a whole domain with relay_sources (one task): 1000 new streams, the same 1000 again, 300 creates + 300
   updates + 300 deletes (purge) side by side, and the peak memory on a domain of 10,000 configurations with
   nothing to change, each against its target; then wall time against the number of streams for per-stream
   relay_source tasks, for relay_sources and for the API floor, drawn as a chart (--chart FILE, matplotlib).
5. controllers that share nothing: N ansible-playbook processes at once, each with a TMPDIR of its own (the
   pacing files live under tempfile.gettempdir(), so none is shared), each applying K new streams of its own on
   one account against one simulator at 10 requests/s per action: 2 x 300, 4 x 150 and 1 x 1000 by default, with
   one relay_sources task each (--controller-mode relay_source: a relay_source task per stream host, forks 10,
   and the same plays with no limit and no pacing for the machine's own floor). The slowest controller's wall time
   against the API floor N * K / 10 s, failed tasks, throttled answers against all calls, and the span from the
   first create to the last as the simulator saw them (the floor less Ansible's start and the List calls).
6. waiting (--only wait): relay_sources with wait over 1000 new relays, each online 5 s (--online-delay) after it is
   created: how long after the last stream came online the wait ended (within a poll interval of 2 s), the
   DescribeLiveStreamInfoByPage calls a poll costs (one per 1000 streams), then the same again (one poll).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.api import LIST_PAGE_SIZE

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.dirname(HERE)
AK, SK, DOMAIN = 'AKLTbench', 'bench-secret-key', 'pull.example.com'
RELAY_TASK = 'relay_source (check mode, no credentials)'
RELAY_MODULE_TASK = 'the same, as a module process'
PING_TASK = 'ansible.builtin.ping'
MODULE_PROCESS = 'volcengine_live_in_process=false'


# Runs a command and writes the largest resident set size of its processes (KiB) to the file named first.
RSS_WRAPPER = (
    'import resource, subprocess, sys\n'
    'code = subprocess.call(sys.argv[2:])\n'
    'open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n'
    'sys.exit(code)\n'
)


def run_playbook(  # noqa: PLR0913 - a benchmark run's settings
    playbook,
    inventory,
    forks,
    env,
    timer_file,
    extra_vars=None,
    rss_file=None,
):
    env = dict(
        env,
        TASK_TIMER_OUTPUT=timer_file,
        ANSIBLE_CALLBACKS_ENABLED='task_timer',
        ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
        ANSIBLE_LOCALHOST_WARNING='false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
    )
    if os.path.exists(timer_file):
        os.remove(timer_file)
    start = time.monotonic()
    command = [
        os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
        '-i',
        inventory,
        '--forks',
        str(forks),
        playbook,
    ]
    if extra_vars:
        command += ['-e', extra_vars]
    if rss_file:
        command = [sys.executable, '-c', RSS_WRAPPER, rss_file, *command]
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    wall = time.monotonic() - start
    records = []
    if os.path.exists(timer_file):
        with open(timer_file, encoding='utf-8') as handle:
            records = [json.loads(line) for line in handle]
    return wall, records, proc


def write(path, text):
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)
    return path


# --- 1. per-task overhead ---------------------------------------------------------------


def execution_paths(work, env):
    """Which execution path the figures use on this ansible-core: a one-task play at -vvv, by default and with
    volcengine_live_in_process=false, and what the action plugin said it did."""
    inventory = write(
        os.path.join(work, 'local.ini'),
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable,
    )
    playbook = write(
        os.path.join(work, 'path.yml'),
        '- hosts: localhost\n  gather_facts: false\n  tasks:\n'
        '    - volcengine.live.relay_source_info: {domain: pull.example.com}\n      check_mode: true\n',
    )
    env = dict(env, ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    paths = {}
    for label, extra_vars in (('default', []), ('module process', ['-e', MODULE_PROCESS])):
        command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory, playbook]
        proc = subprocess.run(
            command + extra_vars + ['-vvv'],
            check=False,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        said = [line for line in proc.stdout.splitlines() if 'volcengine.live.relay_source_info: runs' in line]
        paths[label] = said[0].split('relay_source_info: ', 1)[1].strip() if said else 'unknown'
    return paths


def overhead(work, env, tasks):
    inventory = write(
        os.path.join(work, 'local.ini'),
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable,
    )
    relay = ''.join(
        """
    - name: relay %d
      volcengine.live.relay_source:
        domain: pull.example.com
        app: live
        stream: bench-%d
        src_addrs: [rtmp://origin.example.com/live/bench-%d]
      check_mode: true
"""
        % (i, i, i)
        for i in range(tasks)
    )
    ping = ''.join(
        """
    - name: ping %d
      ansible.builtin.ping:
"""
        % i
        for i in range(tasks)
    )
    head = '- hosts: localhost\n  gather_facts: false\n  tasks:\n'
    env = {k: v for k, v in env.items() if not k.startswith('VOLC')}
    results = {}
    for name, body, extra_vars in (
        (RELAY_TASK, relay, None),
        (RELAY_MODULE_TASK, relay, MODULE_PROCESS),
        (PING_TASK, ping, None),
    ):
        playbook = write(os.path.join(work, 'overhead.yml'), head + body)
        _wall, records, proc = run_playbook(playbook, inventory, 1, env, os.path.join(work, 'timer.jsonl'), extra_vars)
        if proc.returncode:
            raise SystemExit('overhead play failed:\n' + proc.stdout[-3000:])
        results[name] = statistics.median(r['seconds'] for r in records)
    return results


# --- 2. convergence -----------------------------------------------------------------------


class Simulator:
    def __init__(self, work, rate):
        self.state = os.path.join(work, 'sim-state.json')
        ready = os.path.join(work, 'sim-port')
        for path in (self.state, ready):
            if os.path.exists(path):
                os.remove(path)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                '-m',
                'live_simulator',
                '--port',
                '0',
                '--state',
                self.state,
                '--account',
                '%s:%s' % (AK, SK),
                '--domain',
                DOMAIN,
                '--rate-limit',
                str(rate),
                '--ready-file',
                ready,
            ],
            env=dict(os.environ, PYTHONPATH=TOOLS),
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not os.path.exists(ready):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise SystemExit('the simulator did not start')
            time.sleep(0.05)
        with open(ready, encoding='utf-8') as handle:
            self.endpoint = 'http://127.0.0.1:%d' % int(handle.read())

    def admin(self, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.endpoint + path, data=data, method='POST' if data else 'GET')
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def cpu_seconds(self):
        """CPU time the simulator process has used (it shares the machine with Ansible)."""
        try:
            with open('/proc/%d/stat' % self.proc.pid, encoding='utf-8') as handle:
                fields = handle.read().rsplit(')', 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / float(os.sysconf('SC_CLK_TCK'))
        except (OSError, ValueError, IndexError):
            return float('nan')

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def stream_inventory(path, names):
    """An inventory of one local host per stream."""
    return write(
        path,
        '[streams]\n'
        + ''.join('%s\n' % name for name in names)
        + '\n[streams:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' % sys.executable,
    )


def per_stream_play(path):
    """A play of one relay_source task per stream host."""
    return write(
        path,
        """- hosts: streams
  gather_facts: false
  tasks:
    - name: relay
      volcengine.live.relay_source:
        domain: %s
        app: live
        stream: "{{ inventory_hostname }}"
        src_addrs: ["rtmp://origin.example.com/live/{{ inventory_hostname }}"]
"""
        % DOMAIN,
    )


def convergence(work, env, streams, forks):
    inventory = stream_inventory(os.path.join(work, 'streams.ini'), ['stream-%04d' % i for i in range(streams)])
    relay = per_stream_play(os.path.join(work, 'converge.yml'))
    ping = write(
        os.path.join(work, 'ping.yml'),
        """- hosts: streams
  gather_facts: false
  tasks:
    - name: ping
      ansible.builtin.ping:
""",
    )
    sim = Simulator(work, 10)
    try:
        env = dict(env, VOLCENGINE_ENDPOINT=sim.endpoint, VOLCENGINE_ACCESS_KEY=AK, VOLCENGINE_SECRET_KEY=SK)
        rounds = []
        for label, reset, extra_vars in (
            ('first run (empty simulator)', {'stats': True}, None),
            ('second run (nothing to change)', {'stats': True}, None),
            ('first run, as module processes', {'stats': True, 'state': True}, MODULE_PROCESS),
        ):
            sim.admin('/_sim/reset', reset)
            cpu_before = sim.cpu_seconds()
            wall, records, _proc = run_playbook(
                relay, inventory, forks, env, os.path.join(work, 'timer.jsonl'), extra_vars
            )
            stats = sim.admin('/_sim/stats')
            rounds.append(
                {
                    'label': label,
                    'wall': wall,
                    'stats': stats,
                    'sim_cpu': sim.cpu_seconds() - cpu_before,
                    'failed': sum(1 for r in records if r['status'] != 'ok'),
                    'tasks': len(records),
                }
            )
        ping_wall, ping_records, _proc = run_playbook(ping, inventory, forks, env, os.path.join(work, 'timer.jsonl'))
    finally:
        sim.stop()
    first = rounds[0]
    api_floor = max(count / 10.0 for count in first['stats']['by_action'].values())
    floor = max(api_floor, ping_wall)
    return {
        'streams': streams,
        'forks': forks,
        'rounds': rounds,
        'ping_wall': ping_wall,
        'ping_failed': sum(1 for r in ping_records if r['status'] != 'ok'),
        'api_floor': api_floor,
        'floor': floor,
        'ratio': first['wall'] / floor,
        'module_process_ratio': rounds[2]['wall'] / floor,
    }


# --- 3. signing -----------------------------------------------------------------------------


def signing(count):
    from collections import OrderedDict

    from volcengine.auth.SignerV4 import SignerV4
    from volcengine.auth.SignParam import SignParam
    from volcengine.Credentials import Credentials

    from ansible_collections.volcengine.live.plugins.module_utils import signer

    when = datetime.datetime(2026, 11, 24, 12, 0, 0)
    requests = []
    for index in range(count):
        body = json.dumps(
            {
                'Domain': DOMAIN,
                'App': 'live',
                'Stream': 'stream-%d' % index,
                'SrcAddrS': ['rtmp://origin.example.com/live/stream-%d' % index],
            }
        ).encode()
        requests.append(({'Action': 'CreateRelaySourceV4', 'Version': '2023-01-01'}, body))
    credentials = Credentials(AK, SK, 'live', 'cn-north-1', '')

    start = time.perf_counter()
    for query, body in requests:
        signer.sign(
            'POST',
            'live.volcengineapi.com',
            '/',
            query,
            {'Content-Type': 'application/json'},
            body,
            AK,
            SK,
            'cn-north-1',
            'live',
            now=when,
        )
    ours = count / (time.perf_counter() - start)

    start = time.perf_counter()
    for query, body in requests:
        param = SignParam()
        param.set_method('POST')
        param.set_host('live.volcengineapi.com')
        param.set_path('/')
        param.set_query(OrderedDict(query))
        param.set_header_list(OrderedDict([('Content-Type', 'application/json'), ('Host', 'live.volcengineapi.com')]))
        param.set_body(body)
        param.set_date(when)
        SignerV4.sign_only(param, credentials)
    sdk = count / (time.perf_counter() - start)
    return {'collection': ours, 'sdk': sdk}


# --- 4. a whole domain: relay_sources ---------------------------------------------------------


def _sources(streams, app='live', origin='origin.example.com'):
    return [{'app': app, 'stream': s, 'src_addrs': ['rtmp://%s/%s/%s' % (origin, app, s)]} for s in streams]


def _one_task_play(work, name, relay_sources, purge=False):
    """A play of one relay_sources task; the list goes in a vars file (JSON is YAML)."""
    vars_file = write(os.path.join(work, name + '-vars.json'), json.dumps({'batch': relay_sources}))
    return write(
        os.path.join(work, name + '.yml'),
        """- hosts: localhost
  gather_facts: false
  vars_files: [%s]
  tasks:
    - name: relay_sources
      volcengine.live.relay_sources:
        domain: %s
        relay_sources: "{{ batch }}"
        purge: %s
"""
        % (vars_file, DOMAIN, 'true' if purge else 'false'),
    )


def _batch_run(sim, work, env, inventory, playbook, reset, rss=False):  # noqa: PLR0913 - a benchmark run's settings
    sim.admin('/_sim/reset', reset)
    rss_file = os.path.join(work, 'rss') if rss else None
    wall, records, proc = run_playbook(
        playbook, inventory, 1, env, os.path.join(work, 'timer.jsonl'), rss_file=rss_file
    )
    if proc.returncode:
        raise SystemExit('relay_sources play failed:\n' + proc.stdout[-3000:])
    stats = sim.admin('/_sim/stats')
    result = {'wall': wall, 'stats': stats, 'failed': sum(1 for r in records if r['status'] != 'ok')}
    timing = stats.get('timing', {})
    writes = [timing[a] for a in ('CreateRelaySourceV4', 'UpdateRelaySourceV4', 'DeleteRelaySourceV4') if a in timing]
    if writes:
        result['write_span'] = max(t['last'] for t in writes) - min(t['first'] for t in writes)
    if rss:
        with open(rss_file, encoding='utf-8') as handle:
            result['rss_mb'] = int(handle.read()) / 1024.0
    return result


def batch(  # noqa: PLR0913 - the benchmark's settings, each a command-line option
    work,
    env,
    streams=1000,
    big=10000,
    chart_sizes=(100, 300, 1000),
    forks=10,
):
    local = write(
        os.path.join(work, 'local.ini'),
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable,
    )
    ping = write(
        os.path.join(work, 'ping1.yml'),
        '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: ping\n      ansible.builtin.ping:\n',
    )
    names = ['batch-%05d' % i for i in range(streams)]
    figures = {'streams': streams}
    sim = Simulator(work, 10)
    try:
        env = dict(env, VOLCENGINE_ENDPOINT=sim.endpoint, VOLCENGINE_ACCESS_KEY=AK, VOLCENGINE_SECRET_KEY=SK)
        first = _one_task_play(work, 'first', _sources(names))
        figures['new'] = _batch_run(sim, work, env, local, first, {'stats': True, 'state': True})
        figures['again'] = _batch_run(sim, work, env, local, first, {'stats': True})
        figures['ping_wall'], _records, _proc = run_playbook(ping, local, 1, env, os.path.join(work, 'timer.jsonl'))
        # 300 updates (new sources), 300 deletes (left out, purged), 300 creates (new names)
        third = len(names) * 3 // 10
        mixed_list = (
            _sources(names[:third], origin='origin-b.example.com')
            + _sources(names[third : len(names) - third])
            + _sources(['added-%05d' % i for i in range(third)])
        )
        figures['mixed'] = _batch_run(
            sim, work, env, local, _one_task_play(work, 'mixed', mixed_list, purge=True), {'stats': True}
        )
        figures['mixed']['each'] = third
        # memory: a domain of `big` configurations with nothing to change, against a one-task ping play
        sim.admin('/_sim/reset', {'stats': True, 'state': True})
        sim.admin('/_sim/state', {'generate': {'domain': DOMAIN, 'app': 'live', 'count': big, 'stream_prefix': 'big-'}})
        big_play = _one_task_play(work, 'big', _sources(['big-%04d' % i for i in range(big)]))
        figures['big'] = _batch_run(sim, work, env, local, big_play, {'stats': True}, rss=True)
        figures['big']['configs'] = big
        _wall, _records, _proc = run_playbook(
            ping, local, 1, env, os.path.join(work, 'timer.jsonl'), rss_file=os.path.join(work, 'rss')
        )
        with open(os.path.join(work, 'rss'), encoding='utf-8') as handle:
            figures['ping_rss_mb'] = int(handle.read()) / 1024.0
        # the chart: wall time against streams, per-stream tasks and one relay_sources task, from empty
        series = []
        for size in chart_sizes:
            chart_names = ['chart-%05d' % i for i in range(size)]
            one_play = _one_task_play(work, 'chart', _sources(chart_names))
            one = _batch_run(sim, work, env, local, one_play, {'stats': True, 'state': True})
            one_again = _batch_run(sim, work, env, local, one_play, {'stats': True})
            sim.admin('/_sim/reset', {'stats': True, 'state': True})
            inventory = stream_inventory(os.path.join(work, 'chart.ini'), chart_names)
            per_stream = per_stream_play(os.path.join(work, 'per-stream.yml'))
            timer = os.path.join(work, 'timer.jsonl')
            tasks_wall, _records, _proc = run_playbook(per_stream, inventory, forks, env, timer)
            tasks_again, _records, _proc = run_playbook(per_stream, inventory, forks, env, timer)
            series.append(
                {
                    'streams': size,
                    'per_stream_tasks': tasks_wall,
                    'per_stream_tasks_again': tasks_again,
                    'relay_sources': one['wall'],
                    'relay_sources_again': one_again['wall'],
                    'api_floor': size / 10.0,
                }
            )
        figures['chart'] = series
    finally:
        sim.stop()
    return figures


# --- 5. controllers that share nothing, on one account --------------------------------------------------------


def _controller_relay_sources(work, names, _forks):
    """A controller that applies ``names`` in one relay_sources task, as an AWX job of one task does."""
    local = write(
        os.path.join(work, 'local.ini'),
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable,
    )
    return local, _one_task_play(work, 'controller', _sources(names)), 1


def _controller_per_stream(work, names, forks):
    """A controller that applies ``names`` with a relay_source task per stream host, ``forks`` at a time; its
    rate_limit comes from the variable bench_rate_limit (0 for the machine's own floor)."""
    playbook = write(
        os.path.join(work, 'controller.yml'),
        """- hosts: streams
  gather_facts: false
  tasks:
    - name: relay
      volcengine.live.relay_source:
        domain: %s
        app: live
        stream: "{{ inventory_hostname }}"
        src_addrs: ["rtmp://origin.example.com/live/{{ inventory_hostname }}"]
        rate_limit: "{{ bench_rate_limit | default(10) }}"
"""
        % DOMAIN,
    )
    return stream_inventory(os.path.join(work, 'streams.ini'), names), playbook, forks


CONTROLLER_PLAYS = {'relay_sources': _controller_relay_sources, 'relay_source': _controller_per_stream}


def run_controllers(  # noqa: PLR0913 - a benchmark run's settings
    sim,
    work,
    env,
    count,
    streams,
    mode,
    forks,
    extra_vars=None,
):
    """``count`` controllers at once, each an ansible-playbook process with a TMPDIR of its own (so that no pacing
    file is shared), each applying ``streams`` new streams of its own, on the same account and domain, from an
    empty simulator. Wall times count from the moment all were started."""
    sim.admin('/_sim/reset', {'stats': True, 'state': True})
    runs = []
    for index in range(count):
        own = tempfile.mkdtemp(prefix='controller-%d-' % index, dir=work)
        tmp = os.path.join(own, 'tmp')
        os.makedirs(tmp)
        names = ['c%d-%05d' % (index, i) for i in range(streams)]
        inventory, playbook, play_forks = CONTROLLER_PLAYS[mode](own, names, forks)
        timer = os.path.join(own, 'timer.jsonl')
        run_env = dict(
            env,
            TMPDIR=tmp,
            TASK_TIMER_OUTPUT=timer,
            ANSIBLE_CALLBACKS_ENABLED='task_timer',
            ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
            ANSIBLE_LOCALHOST_WARNING='false',
            ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
            ANSIBLE_LOCAL_TEMP=os.path.join(tmp, 'ansible-local'),
        )
        command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory]
        command += ['--forks', str(play_forks), playbook]
        if extra_vars:
            command += ['-e', extra_vars]
        runs.append({'command': command, 'env': run_env, 'timer': timer, 'tmp': tmp, 'own': own})
    with contextlib.ExitStack() as stack:
        start = time.monotonic()
        for run in runs:
            log = stack.enter_context(open(os.path.join(run['own'], 'output.txt'), 'w', encoding='utf-8'))
            run['proc'] = subprocess.Popen(run['command'], env=run['env'], stdout=log, stderr=subprocess.STDOUT)
        pending = list(runs)
        while pending:
            for run in list(pending):
                if run['proc'].poll() is not None:
                    run['wall'] = time.monotonic() - start
                    pending.remove(run)
            time.sleep(0.05)
    stats = sim.admin('/_sim/stats')
    for run in runs:
        records = []
        if os.path.exists(run['timer']):
            with open(run['timer'], encoding='utf-8') as handle:
                records = [json.loads(line) for line in handle]
        run['failed'] = sum(1 for r in records if r['status'] != 'ok')
        run['tasks'] = len(records)
        # where each controller's pacing files went: its own TMPDIR, never another's
        run['pacing_dirs'] = [n for n in os.listdir(run['tmp']) if n.startswith('volcengine-live-pacing')]
    creates = stats.get('timing', {}).get('CreateRelaySourceV4', {})
    return {
        'controllers': count,
        'streams': streams,
        'mode': mode,
        'walls': [run['wall'] for run in runs],
        'slowest': max(run['wall'] for run in runs),
        'failed': sum(run['failed'] for run in runs),
        'tasks': sum(run['tasks'] for run in runs),
        'exit_codes': [run['proc'].returncode for run in runs],
        'own_pacing': all(run['pacing_dirs'] for run in runs) or extra_vars is not None,
        'stats': stats,
        'create_span': creates.get('last', 0.0) - creates.get('first', 0.0),
        'floor': count * streams / 10.0,
        'busiest_floor': max(stats['by_action'].values()) / 10.0 if stats['by_action'] else 0.0,
    }


def controllers(work, env, scenarios, modes, forks=10):
    local = write(
        os.path.join(work, 'local.ini'),
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable,
    )
    ping = write(
        os.path.join(work, 'ping1.yml'),
        '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - name: ping\n      ansible.builtin.ping:\n',
    )
    figures = {'scenarios': []}
    sim = Simulator(work, 10)
    try:
        env = {k: v for k, v in env.items() if k != 'TMPDIR'}
        env = dict(env, VOLCENGINE_ENDPOINT=sim.endpoint, VOLCENGINE_ACCESS_KEY=AK, VOLCENGINE_SECRET_KEY=SK)
        figures['ping_wall'], _records, _proc = run_playbook(ping, local, 1, env, os.path.join(work, 'timer.jsonl'))
        print(
            "   (a one-task ansible.builtin.ping play takes %.1f s: Ansible's own start and end)" % figures['ping_wall']
        )
        for mode in modes:
            for count, streams in scenarios:
                result = run_controllers(sim, work, env, count, streams, mode, forks)
                if mode == 'relay_source':
                    # The machine's own floor for these plays: the same controllers, no limit, no pacing.
                    sim.admin('/_sim/config', {'rate_limit': 0})
                    try:
                        unpaced = run_controllers(
                            sim, work, env, count, streams, mode, forks, extra_vars='bench_rate_limit=0'
                        )
                    finally:
                        sim.admin('/_sim/config', {'rate_limit': 10})
                    result['unpaced'] = unpaced['slowest']
                figures['scenarios'].append(result)
                report_controllers_line(result)
    finally:
        sim.stop()
    return figures


# The targets: the slowest controller within this many times the API floor, by number of controllers.
CONTROLLER_TARGETS = {1: 1.10, 2: 1.15, 4: 1.25}


def report_controllers_line(result):
    stats = result['stats']
    calls = stats['requests']
    throttled = stats['throttled']
    target = CONTROLLER_TARGETS.get(result['controllers'])
    by_action = ', '.join('%s %d' % (k.replace('RelaySourceV4', ''), v) for k, v in sorted(stats['by_action'].items()))
    print(
        '   %s, %d x %d new streams: slowest %.1f s = %.2f x the API floor of %.0f s%s; each %s s; '
        'failed tasks %d/%d; calls %d (%s), throttled %d = %.1f %% (target <= 10 %%); first to last create %.1f s '
        '= %.2f x%s'
        % (
            result['mode'],
            result['controllers'],
            result['streams'],
            result['slowest'],
            result['slowest'] / result['floor'],
            result['floor'],
            ' (target <= %.2f)' % target if target else '',
            ', '.join('%.1f' % wall for wall in result['walls']),
            result['failed'],
            result['tasks'],
            calls,
            by_action,
            throttled,
            100.0 * throttled / calls if calls else 0.0,
            result['create_span'],
            result['create_span'] / result['floor'],
            '; busiest action %.0f s; the same plays with no limit and no pacing %.1f s'
            % (result['busiest_floor'], result['unpaced'])
            if 'unpaced' in result
            else '',
        )
    )
    if not result['own_pacing'] or any(result['exit_codes']):
        print(
            '   (!) exit codes %s; every controller paced from its own TMPDIR: %s'
            % (result['exit_codes'], result['own_pacing'])
        )


def report_controllers(work, env, args):
    scenarios = [tuple(int(part) for part in item.split('x')) for item in args.controllers.split(',')]
    modes = ['relay_sources', 'relay_source'] if args.controller_mode == 'both' else [args.controller_mode]
    print(
        '\n5. controllers that share nothing (a TMPDIR each) on one account, at once, simulator at 10 requests/s '
        'per action'
    )
    return controllers(work, env, scenarios, modes, args.forks)


def draw_chart(series, path, title):
    import matplotlib

    matplotlib.use('Agg')
    from matplotlib import pyplot

    sizes = [point['streams'] for point in series]
    figure, axes = pyplot.subplots(figsize=(7, 4.2), dpi=110)
    for key, label, style in (
        ('per_stream_tasks', 'relay_source, a task per stream (forks 10): new streams', 'o-'),
        ('per_stream_tasks_again', 'relay_source, a task per stream: the same again', 'o:'),
        ('relay_sources', 'relay_sources, one task: new streams', 's-'),
        ('relay_sources_again', 'relay_sources, one task: the same again', 's:'),
        ('api_floor', 'API floor for new streams (10 creates/s)', 'k--'),
    ):
        axes.plot(sizes, [point[key] for point in series], style, label=label)
    axes.set_xlabel('streams')
    axes.set_ylabel('wall time (s)')
    axes.set_title(title, fontsize=9)
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path)


def machine():
    cpu = ''
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as handle:
            cpu = next((line.split(':', 1)[1].strip() for line in handle if line.startswith('model name')), '')
    except OSError:
        pass
    from ansible.release import __version__ as ansible_version

    return '%s, %d cores, Python %s, ansible-core %s' % (
        cpu or platform.machine(),
        os.cpu_count(),
        platform.python_version(),
        ansible_version,
    )


# --- 6. waiting until the relays are online -------------------------------------------------------


def _wait_play(work, name, relay_sources, report):
    vars_file = write(os.path.join(work, name + '-vars.json'), json.dumps({'batch': relay_sources}))
    return write(
        os.path.join(work, name + '.yml'),
        """- hosts: localhost
  gather_facts: false
  vars_files: [%s]
  tasks:
    - name: relay_sources, waiting until every relay is online
      volcengine.live.relay_sources:
        domain: %s
        relay_sources: "{{ batch }}"
        wait: true
        wait_timeout: 1800
      register: relays
    - name: what the wait found, and when it ended
      ansible.builtin.copy:
        content: "{{ relays.delivery | combine({'ended': now().timestamp()}) | to_json }}"
        dest: %s
        mode: '0600'
"""
        % (vars_file, DOMAIN, report),
    )


def waiting(work, env, streams=1000, delay=5):
    """``relay_sources`` with ``wait`` over ``streams`` new relays, the simulator bringing each online ``delay``
    seconds after it is created: how long after the last stream came online the wait ended, and the listing calls a
    poll costs; then the same again, everything online."""
    local = write(
        os.path.join(work, 'local.ini'),
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable,
    )
    report = os.path.join(work, 'delivery.json')
    playbook = _wait_play(work, 'wait', _sources(['wait-%05d' % i for i in range(streams)]), report)
    sim = Simulator(work, 10)
    figures = {'streams': streams, 'online_delay': delay}
    try:
        sim.admin('/_sim/config', {'stream_online_delay': delay})
        env = dict(env, VOLCENGINE_ENDPOINT=sim.endpoint, VOLCENGINE_ACCESS_KEY=AK, VOLCENGINE_SECRET_KEY=SK)
        for run in ('new', 'again'):
            before = sim.admin('/_sim/stats')['by_action'].get('DescribeLiveStreamInfoByPage', 0)
            wall, _records, proc = run_playbook(playbook, local, 1, env, os.path.join(work, 'timer.jsonl'))
            if proc.returncode:
                raise SystemExit('the wait play failed:\n' + proc.stdout[-3000:])
            with open(report, encoding='utf-8') as handle:
                delivery = json.load(handle)
            stats = sim.admin('/_sim/stats')
            online = sim.admin('/_sim/streams')['online']
            last = max(_rfc3339(item['SessionStartTime']) for item in online)
            figures[run] = {
                'wall': wall,
                'online': len(delivery['online']),
                'polls': delivery['polls'],
                'wait_seconds': delivery['seconds'],
                'after_last_online': delivery['ended'] - last,
                'listings': stats['by_action'].get('DescribeLiveStreamInfoByPage', 0) - before,
            }
    finally:
        sim.stop()
    return figures


def _rfc3339(text):
    return datetime.datetime.strptime(text.replace('Z', '+0000'), '%Y-%m-%dT%H:%M:%S.%f%z').timestamp()


def report_waiting(work, env, args):
    figures = waiting(work, env, args.wait_streams, args.online_delay)
    print()
    print(
        '6. relay_sources with wait: %d new relays, each online %s s after it is created'
        % (figures['streams'], figures['online_delay'])
    )
    for run, label in (('new', 'new relays'), ('again', 'the same again')):
        f = figures[run]
        print(
            '   %-16s wall %6.1f s  online %d  polls %d  listing calls %d (%.2f a poll)  wait ended %.1f s after the '
            'last stream came online (poll interval 2 s)'
            % (
                label,
                f['wall'],
                f['online'],
                f['polls'],
                f['listings'],
                f['listings'] / max(f['polls'], 1),
                f['after_last_online'],
            )
        )
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--streams', type=int, default=200, help='streams for the convergence run (default 200)')
    parser.add_argument('--forks', type=int, default=10)
    parser.add_argument('--tasks', type=int, default=30, help='tasks for the overhead run (default 30)')
    parser.add_argument('--signatures', type=int, default=20000)
    parser.add_argument('--json', help='also write the figures to this file')
    parser.add_argument('--batch-streams', type=int, default=1000, help='streams of the relay_sources runs')
    parser.add_argument('--big', type=int, default=10000, help='configurations of the memory run')
    parser.add_argument('--chart', help='draw wall time against streams to this PNG file (needs matplotlib)')
    parser.add_argument('--chart-sizes', default='100,300,1000', help='stream counts of the chart')
    parser.add_argument(
        '--only',
        choices=('per-stream', 'batch', 'controllers', 'wait'),
        help='run only this part (1-3, 4, 5 or 6)',
    )
    parser.add_argument('--wait-streams', type=int, default=1000, help='relays of the wait run (part 6)')
    parser.add_argument('--online-delay', type=float, default=5, help='part 6: seconds from a create to online')
    parser.add_argument(
        '--controllers',
        default='2x300,4x150,1x1000',
        help='controllers x new streams each, for part 5 (default 2x300,4x150,1x1000)',
    )
    parser.add_argument(
        '--controller-mode',
        choices=('relay_sources', 'relay_source', 'both'),
        default='relay_sources',
        help='part 5: one relay_sources task per controller, relay_source tasks per stream (forks), or both',
    )
    args = parser.parse_args(argv)
    env = dict(os.environ)
    work = tempfile.mkdtemp(prefix='volcengine-live-bench-')

    figures = {'machine': machine(), 'date': datetime.date.today().isoformat()}
    print('volcengine.live benchmarks on %s' % figures['machine'])
    figures['paths'] = execution_paths(work, env)
    print('execution path of the figures on this ansible-core:')
    print('   by default (local connection):  %s' % figures['paths']['default'])
    print('   "as module processes" figures:  %s' % figures['paths']['module process'])

    if args.only in (None, 'per-stream'):
        per_stream_figures(figures, work, env, args)
    if args.only in (None, 'batch'):
        figures['batch'] = report_batch(work, env, args)
    if args.only in (None, 'controllers'):
        figures['controllers'] = report_controllers(work, env, args)
    if args.only in (None, 'wait'):
        figures['wait'] = report_waiting(work, env, args)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as handle:
            json.dump(figures, handle, indent=1)
    return 0


def report_batch(work, env, args):
    sizes = tuple(int(size) for size in args.chart_sizes.split(','))
    figures = batch(work, env, args.batch_streams, args.big, sizes)
    n = args.batch_streams
    print('\n4. a whole domain in one relay_sources task, simulator at 10 requests/s per action')
    new, again, mixed, big = figures['new'], figures['again'], figures['mixed'], figures['big']
    lists = 'ListRelaySourceV4'
    print(
        '   %d new streams: wall %6.1f s = %.2f x the API floor of %.0f s (target <= 1.10); creates %d, '
        'List calls %d (target <= 3)'
        % (
            n,
            new['wall'],
            new['wall'] / (n / 10.0),
            n / 10.0,
            new['stats']['by_action'].get('CreateRelaySourceV4', 0),
            new['stats']['by_action'].get(lists, 0),
        )
    )
    print(
        '   the same %d again: wall %6.1f s = %.2f x a one-task ping play (%.1f s; target <= 2); writes %d, '
        'List calls %d (target <= 3)'
        % (
            n,
            again['wall'],
            again['wall'] / figures['ping_wall'],
            figures['ping_wall'],
            again['stats']['writes'],
            again['stats']['by_action'].get(lists, 0),
        )
    )
    each = mixed['each']
    by_action = mixed['stats']['by_action']
    print(
        '   %d creates + %d updates + %d deletes (purge): wall %6.1f s = %.2f x the API floor of %.0f s '
        '(target <= 1.15); calls: create %d, update %d, delete %d, List %d; writes side by side over %.1f s'
        % (
            each,
            each,
            each,
            mixed['wall'],
            mixed['wall'] / (each / 10.0),
            each / 10.0,
            by_action.get('CreateRelaySourceV4', 0),
            by_action.get('UpdateRelaySourceV4', 0),
            by_action.get('DeleteRelaySourceV4', 0),
            by_action.get(lists, 0),
            mixed.get('write_span', 0.0),
        )
    )
    print(
        '   memory, %d configurations, nothing to change: peak %.0f MB against %.0f MB for a one-task ping play '
        '(+%.0f MB; target <= +100 MB); wall %.1f s, writes %d'
        % (
            big['configs'],
            big['rss_mb'],
            figures['ping_rss_mb'],
            big['rss_mb'] - figures['ping_rss_mb'],
            big['wall'],
            big['stats']['writes'],
        )
    )
    print('   wall time against streams (new, then the same again):')
    for point in figures['chart']:
        print(
            '     %5d streams: relay_source tasks %6.1f s, again %6.1f s; relay_sources %6.1f s, again %5.1f s; '
            'API floor %6.1f s'
            % (
                point['streams'],
                point['per_stream_tasks'],
                point['per_stream_tasks_again'],
                point['relay_sources'],
                point['relay_sources_again'],
                point['api_floor'],
            )
        )
    if args.chart:
        draw_chart(figures['chart'], args.chart, 'volcengine.live against the simulator at 10 requests/s per action')
        print('   chart: %s' % args.chart)
    return figures


def per_stream_figures(figures, work, env, args):
    figures['overhead'] = over = overhead(work, env, args.tasks)
    relay_median, module_median, ping_median = over[RELAY_TASK], over[RELAY_MODULE_TASK], over[PING_TASK]
    print('\n1. per-task overhead (median of %d tasks on localhost)' % args.tasks)
    print('   %-45s %7.1f ms' % (RELAY_TASK, relay_median * 1000))
    print('   %-45s %7.1f ms' % (RELAY_MODULE_TASK, module_median * 1000))
    print('   %-45s %7.1f ms' % (PING_TASK, ping_median * 1000))
    print('   ratio                                         %7.2f x   (target <= 1.30)' % (relay_median / ping_median))
    print('   ratio, as a module process                    %7.2f x' % (module_median / ping_median))

    figures['convergence'] = conv = convergence(work, env, args.streams, args.forks)
    print('\n2. convergence: %d streams, forks %d, simulator at 10 requests/s per action' % (args.streams, args.forks))
    for entry in conv['rounds']:
        stats = entry['stats']
        calls = ', '.join('%s %d' % (k.replace('RelaySourceV4', ''), v) for k, v in sorted(stats['by_action'].items()))
        print(
            '   %-32s wall %6.1f s  calls: %s  throttled %d  writes %d  failed tasks %d/%d  '
            'simulator CPU %.1f s'
            % (
                entry['label'],
                entry['wall'],
                calls,
                stats['throttled'],
                stats['writes'],
                entry['failed'],
                entry['tasks'],
                entry['sim_cpu'],
            )
        )
    first = conv['rounds'][0]
    print(
        '   floor: max(API %.1f s, ansible.builtin.ping play %.1f s) = %.1f s'
        % (conv['api_floor'], conv['ping_wall'], conv['floor'])
    )
    print('   ratio of the first run to the floor           %7.2f x   (target <= 1.15)' % conv['ratio'])
    print('   the same, as module processes                 %7.2f x' % conv['module_process_ratio'])
    # The target holds for a domain that fits in one List page (LIST_PAGE_SIZE configurations); beyond that, a
    # stream that is not on the first page needs another List call.
    print(
        '   API calls per new stream                      %7.2f     (%s)'
        % (
            first['stats']['requests'] / float(args.streams),
            'target <= 2'
            if args.streams <= LIST_PAGE_SIZE
            else 'the target <= 2 is for up to %d streams' % LIST_PAGE_SIZE,
        )
    )

    figures['signing'] = sign = signing(args.signatures)
    print('\n3. signing (%d requests)' % args.signatures)
    print('   collection signer   %10.0f signatures/s' % sign['collection'])
    print('   official SDK        %10.0f signatures/s' % sign['sdk'])
    print('   ratio                %9.2f x   (target >= 1)' % (sign['collection'] / sign['sdk']))


if __name__ == '__main__':
    sys.exit(main())
