# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connection options as a careless neighbour or an attacker gives them: secrets with stray bytes, numbers that are
not numbers. Each fails before any request, names the option, and never shows a secret whatever bytes it holds."""

from __future__ import annotations

import json

import pytest

from ansible_collections.volcengine.live.plugins.modules.pull_to_push_task import DEFINITION as PULL_TO_PUSH_TASK
from ansible_collections.volcengine.live.plugins.modules.relay_source import DEFINITION as RELAY_SOURCE
from ansible_collections.volcengine.live.plugins.modules.relay_source_info import DEFINITION as RELAY_INFO

SECRET = 'Sk-Hostile-Secret-31c7'
TOKEN = 'StsToken-Hostile-0b2e'
MODULES = {
    'relay_source': (
        RELAY_SOURCE,
        dict(domain='pull.example.com', app='live', stream='s1', src_addrs=['rtmp://origin.example.com/live/s1']),
    ),
    'relay_source_info': (RELAY_INFO, dict(domain='pull.example.com')),
    'pull_to_push_task': (
        PULL_TO_PUSH_TASK,
        dict(
            title='launch2026',
            type='live',
            source_url='rtmp://origin.example.com/live/s1',
            destination_url='rtmp://push.example.net/live/s1',
            start_time=2000000000,
            end_time=2000003600,
        ),
    ),
}


def args(module, **overrides):
    base = dict(MODULES[module][1], access_key='AKLThostile', secret_key=SECRET, rate_limit=0, retries=0)
    base.update(overrides)
    return base


def shown_anywhere(result, secret):
    """Whether ``secret``, or the part of it a message would quote, is anywhere in ``result``."""
    text = json.dumps(result, ensure_ascii=False)
    return any(part and part in text for part in (secret, secret.strip(), json.dumps(secret)[1:-1]))


@pytest.mark.parametrize('module', sorted(MODULES))
@pytest.mark.parametrize(
    'option, value',
    [
        ('session_token', TOKEN + '\n'),
        ('session_token', TOKEN + '\r\n'),
        ('session_token', ' ' + TOKEN),
        ('session_token', TOKEN[:8] + '\x00' + TOKEN[8:]),
        ('session_token', TOKEN + '\u2028'),
        ('secret_key', SECRET + '\n'),
        ('secret_key', SECRET[:5] + '\x1b[2J' + SECRET[5:]),
        ('access_key', 'AKLTnewline-8842\n'),
        ('access_key', 'AKLT\u00e9t\u00e9-8842'),
    ],
)
def test_a_credential_no_header_can_carry_is_refused_before_any_request_and_never_shown(
    run, http, module, option, value
):
    definition = MODULES[module][0]
    result, failed = run(definition, args(module, **{option: value}))
    assert failed, result
    assert option in result['msg'] and 'not shown' in result['msg']
    # The access key is no secret (the invocation lists it, as for every identifier), but no message quotes it.
    shown = {key: item for key, item in result.items() if key != 'invocation'} if option == 'access_key' else result
    assert not shown_anywhere(shown, value)
    assert http.calls == []


@pytest.mark.parametrize(
    'option, value',
    [
        ('timeout', float('inf')),
        ('timeout', float('nan')),
        ('timeout', 1e300),
        ('timeout', 0),
        ('timeout', -1),
        ('retry_max_delay', float('nan')),
        ('retry_max_delay', float('inf')),
        ('retry_max_delay', -0.5),
        ('rate_limit', 1e-300),
        ('rate_limit', float('nan')),
        ('rate_limit', float('inf')),
        ('rate_limit', -1),
        ('retries', 10**12),
        ('retries', -1),
    ],
)
def test_a_number_no_connection_can_use_fails_naming_the_option(run, http, option, value):
    result, failed = run(RELAY_SOURCE, args('relay_source', **{option: value}))
    assert failed, result
    assert result['msg'].startswith(option + ' must '), result['msg']
    assert http.calls == []


@pytest.mark.parametrize('region', ['cn-north-1\n', 'cn north 1', 'cn-north-1\x07', '华北'])
def test_a_region_no_header_can_carry_fails_naming_the_option(run, http, region):
    result, failed = run(RELAY_SOURCE, args('relay_source', region=region))
    assert failed and result['msg'].startswith('region must be'), result
    assert http.calls == []


@pytest.mark.parametrize('option, value', [('rate_limit', 0), ('rate_limit', 0.1), ('retries', 0), ('timeout', 0.5)])
def test_the_bounds_keep_the_values_people_use(run, http, option, value):
    result, failed = run(RELAY_SOURCE, args('relay_source', **{option: value}))
    assert not failed, result


@pytest.mark.parametrize(
    'value',
    [float('inf'), float('-inf'), float('nan'), 'inf', '-Infinity', '9' * 5000],
)
def test_an_int_option_core_cannot_convert_cleanly_fails_naming_it(run, http, value):
    """Core's int conversion raises OverflowError on an infinite value, and a number of over 4300 digits cannot be
    written into the result: either would end the task in a traceback."""
    result, failed = run(RELAY_SOURCE, args('relay_source', retries=value))
    assert failed, result
    assert 'retries' in result['msg'] and 'Traceback' not in json.dumps(result)
    assert http.calls == []
