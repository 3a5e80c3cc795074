# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The two paths a task takes (a module process, the action plugin in-process) give the same result.

Both sides run ansible-core's real ``AnsibleModule`` (tests/unit/helpers/harness.py): the module file's ``main()``
printing its result, and the in-process path keeping it. Each scenario runs with INJECT_INVOCATION off and on
(where the core has the setting) and with no_log values among the arguments.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.volcengine.live.plugins.modules.relay_source import DEFINITION as relay_source
from ansible_collections.volcengine.live.plugins.modules.relay_source_info import DEFINITION as relay_source_info
from ansible_collections.volcengine.live.plugins.modules.relay_sources import DEFINITION as relay_sources
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import envelope, stored
from ansible_collections.volcengine.live.tests.unit.helpers.harness import (
    HAS_INJECT_INVOCATION,
    masks,
    run_action,
    run_main,
)

SECRET = 'Sk-Paths-Secret-77aa'
TOKEN = 'STS-Paths-Token-91c3'
BASE = dict(
    domain='pull.example.com',
    app='live',
    stream='match-42',
    src_addrs=['rtmp://origin-a.example.com/live/match-42'],
    access_key='AKLTpaths',
    secret_key=SECRET,
    session_token=TOKEN,
    retry_max_delay=0,
    rate_limit=0,
)

BATCH = dict(
    relay_sources=[
        {'app': 'live', 'stream': 'match-42', 'src_addrs': ['rtmp://origin-b.example.com/live/match-42']},
        {'app': 'live', 'stream': 'match-43', 'src_addrs': ['rtmp://origin-a.example.com/live/match-43']},
    ],
    src_addrs=None,
    app=None,
    stream=None,
)

SCENARIOS = [
    ('create', relay_source, {}, [], None),
    ('create, check mode and diff', relay_source, dict(_ansible_check_mode=True, _ansible_diff=True), [], None),
    ('unchanged', relay_source, {}, [stored()], None),
    (
        'update with diff',
        relay_source,
        dict(src_addrs=['rtmp://origin-b.example.com/live/match-42'], _ansible_diff=True),
        [stored()],
        None,
    ),
    ('delete', relay_source, dict(state='absent', src_addrs=None), [stored()], None),
    ('invalid app', relay_source, dict(app='bad/app'), [], None),
    ('missing required option', relay_source, dict(stream=None), [], None),
    ('unsupported option', relay_source, dict(colour='blue'), [], None),
    ('wrong type', relay_source, dict(timeout='soon'), [], None),
    ('bad choice', relay_source, dict(state='gone'), [], None),
    ('present without src_addrs', relay_source, dict(src_addrs=None), [], None),
    ('alias and option both set', relay_source, dict(ak='AKLTpaths'), [], None),
    (
        'check mode without credentials',
        relay_source,
        dict(access_key=None, secret_key=None, session_token=None, _ansible_check_mode=True),
        [],
        None,
    ),
    ('no credentials', relay_source, dict(access_key=None, secret_key=None, session_token=None), [], None),
    ('API error', relay_source, {}, [], ('CreateRelaySourceV4', 'InvalidParam', 400)),
    ('info', relay_source_info, dict(src_addrs=None, app=None, stream=None), [stored()], None),
    ('info of one stream', relay_source_info, dict(src_addrs=None), [stored()], None),
    (
        'batch with purge, check mode and diff',
        relay_sources,
        dict(_ansible_check_mode=True, _ansible_diff=True, purge=True, **BATCH),
        [stored(), stored('old')],
        None,
    ),
    ('batch with purge', relay_sources, dict(purge=True, _ansible_diff=True, **BATCH), [stored(), stored('old')], None),
    ('batch, a refused create', relay_sources, dict(BATCH), [], ('CreateRelaySourceV4', 'InvalidParam', 400)),
    (
        'batch, invalid items',
        relay_sources,
        dict(relay_sources=[{'app': 'live'}, {'app': 'bad/app', 'stream': 's'}], src_addrs=None, app=None, stream=None),
        [],
        None,
    ),
]


INJECT = [False, True] if HAS_INJECT_INVOCATION else [None]


@pytest.mark.parametrize('inject', INJECT, ids=lambda value: 'inject_invocation=%s' % value)
@pytest.mark.parametrize('scenario', SCENARIOS, ids=[item[0] for item in SCENARIOS])
def test_both_paths_give_the_same_result_and_calls(http, scenario, inject):
    _label, module, overrides, configs, failure = scenario
    args = {key: value for key, value in dict(BASE, **overrides).items() if value is not None}
    if module is relay_source_info:
        args.pop('src_addrs', None)
    outcomes = []
    for run in (run_main, run_action):
        http.configs[:] = [dict(config) for config in configs]
        http.calls[:] = []
        http.task_seq = 0
        if failure:
            action, code, status = failure
            http.answers[action] = [envelope(action, error=code, status=status)]
        result, failed = run(module, dict(args), inject_invocation=bool(inject))
        assert masks(result, SECRET, TOKEN)
        calls, stored_after = http.actions(), http.configs
        if module is relay_sources:  # its actions run side by side: their interleaving is not fixed
            calls, stored_after = sorted(calls), sorted(stored_after, key=json.dumps)
        outcomes.append((result, failed, calls, [dict(config) for config in stored_after]))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize('inject', INJECT, ids=lambda value: 'inject_invocation=%s' % value)
def test_the_invocation_is_echoed_as_the_core_asks(http, inject):
    for run in (run_main, run_action):
        result, failed = run(relay_source, dict(BASE), inject_invocation=bool(inject))
        assert not failed
        if inject is False:
            assert 'invocation' not in result
        else:
            module_args = result['invocation']['module_args']
            assert module_args['stream'] == 'match-42' and module_args['access_key'] == 'AKLTpaths'
            assert masks(result, SECRET, TOKEN)


def test_a_warning_reaches_the_result_by_both_paths(http):
    results = [run(relay_source, dict(BASE, ak='AKLTpaths'))[0] for run in (run_main, run_action)]
    assert results[0]['warnings'] == results[1]['warnings']
    assert 'Both option access_key and its alias ak are set.' in results[0]['warnings']
