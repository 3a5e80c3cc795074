# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connections as users of the other cloud tools expect: credentials from the ve CLI's profile file, a private CA
bundle, and proxies. Against the Live API simulator (over HTTPS where it matters), by both execution paths."""

from __future__ import annotations

import contextlib
import io
import json
import os

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._core.connection import connection_argument_spec
from ansible_collections.volcengine.live.plugins.module_utils._core.module import ModuleDefinition, run_as_module
from ansible_collections.volcengine.live.plugins.modules.play_relay_source_info import DEFINITION as INFO
from ansible_collections.volcengine.live.tests.unit.helpers import harness
from ansible_collections.volcengine.live.tests.unit.helpers.network import PROXIED_HOST, Proxy, private_ca
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

AK, SK, TOKEN = 'AKLTprofile', 'profile-secret-key-5d1e', 'profile-session-token-77aa'
OTHER_AK, OTHER_SK = 'AKLTother', 'other-secret-key-9b0c'
VHOST = 'pull.example.com'


@pytest.fixture
def sim(tmp_path):
    simulator = Simulator(accounts={AK: SK, OTHER_AK: OTHER_SK}, domains=[VHOST], rate_limit=0).start()
    yield simulator
    simulator.stop()


@pytest.fixture(scope='module')
def ca(tmp_path_factory):
    return private_ca(tmp_path_factory.mktemp('ca'))


@pytest.fixture
def tls_sim(ca):
    _bundle, certificate, key = ca
    simulator = Simulator(accounts={AK: SK}, domains=[VHOST], rate_limit=0).start(tls=(certificate, key))
    yield simulator
    simulator.stop()


@pytest.fixture
def proxy():
    server = Proxy()
    yield server
    server.stop()


def requests_seen(sim):
    return sim.stats.snapshot()['requests']


def write_profiles(path, current='main', **profiles):
    profiles = profiles or {
        'main': {'mode': 'ak', 'access-key': AK, 'secret-key': SK, 'region': 'cn-beijing'},
        'other': {'mode': 'ak', 'access-key': OTHER_AK, 'secret-key': OTHER_SK},
    }
    path.write_text(json.dumps({'current': current, 'profiles': profiles}), encoding='utf-8')
    return str(path)


def info(sim, **extra):
    args = dict(vhost=VHOST, endpoint=sim.endpoint, rate_limit=0, retries=0, timeout=5)
    args.update(extra)
    return args


def assert_no_secret(result):
    text = json.dumps(result)
    for secret in (SK, OTHER_SK, TOKEN):
        assert secret not in text


# --- the ve CLI's profile file -------------------------------------------------------------------------------


def test_the_current_profile_applies_when_no_credential_is_given(run, sim, tmp_path, monkeypatch):
    monkeypatch.setenv('VOLCENGINE_PROFILE_FILE', write_profiles(tmp_path / 'config.json'))
    result, failed = run(INFO, info(sim))
    assert not failed, result
    assert sim.stats.snapshot()['auth_failures'] == 0 and requests_seen(sim) == 1
    assert_no_secret(result)


def test_the_default_file_is_the_ve_clis(run, sim, tmp_path, monkeypatch):
    home = tmp_path / 'home'
    (home / '.volcengine').mkdir(parents=True)
    write_profiles(home / '.volcengine' / 'config.json')
    monkeypatch.setenv('HOME', str(home))
    monkeypatch.delenv('VOLCENGINE_PROFILE_FILE')
    result, failed = run(INFO, info(sim))
    assert not failed, result


def test_a_named_profile_by_option_or_environment(run, sim, tmp_path, monkeypatch):
    path = write_profiles(tmp_path / 'config.json', current='missing-on-purpose')
    result, failed = run(INFO, info(sim, profile='other', profile_file=path))
    assert not failed, result
    monkeypatch.setenv('VOLCENGINE_PROFILE', 'main')
    result, failed = run(INFO, info(sim, profile_file=path))
    assert not failed, result


def test_options_and_environment_come_before_the_profile(run, sim, tmp_path, monkeypatch):
    # The current profile's key is wrong; the options' are right: with no profile named, the file is not read.
    path = write_profiles(tmp_path / 'config.json', main={'mode': 'ak', 'access-key': AK, 'secret-key': 'wrong'})
    result, failed = run(INFO, info(sim, access_key=AK, secret_key=SK, profile_file=path))
    assert not failed and not result.get('warnings'), result
    monkeypatch.setenv('VOLCENGINE_ACCESS_KEY', AK)
    monkeypatch.setenv('VOLCENGINE_SECRET_KEY', SK)
    result, failed = run(INFO, info(sim, profile_file=path, profile='main'))  # named, but keys are given: unused
    assert not failed, result
    assert any('profile main was not used' in warning for warning in result['warnings'])
    assert sim.stats.snapshot()['auth_failures'] == 0


def test_credentials_are_never_mixed_from_two_places(run, tmp_path, monkeypatch):
    # Only a secret key given: the profile is not read, and the task says what is missing instead of signing
    # with one key of each.
    path = write_profiles(tmp_path / 'config.json')
    result, failed = run(INFO, dict(vhost=VHOST, secret_key=SK, profile='main', profile_file=path, rate_limit=0))
    assert failed and 'access_key is required' in result['msg']
    # A session token without keys cannot belong to the profile's keys: the profile is used as a whole.
    simulator = Simulator(accounts={AK: SK}, domains=[VHOST], rate_limit=0).start()
    try:
        monkeypatch.setenv('VOLCENGINE_SESSION_TOKEN', 'stale-token-from-another-login')
        result, failed = run(INFO, info(simulator, profile='main', profile_file=path))
        assert not failed, result
        assert any('session_token' in warning for warning in result['warnings'])
    finally:
        simulator.stop()


LEAK = ModuleDefinition(
    'leak',
    connection_argument_spec(),
    lambda params, *_unused: dict(changed=False, leaked=[params['secret_key'], params['session_token']]),
)


def test_a_profiles_secrets_are_masked_by_both_paths(tmp_path):
    """A module result that held a profile's secret would show it masked, as an option's secret is."""
    path = write_profiles(
        tmp_path / 'config.json', main={'mode': 'ak', 'access-key': AK, 'secret-key': SK, 'session-token': TOKEN}
    )
    args = harness.module_args(LEAK, dict(profile_file=path))
    printed = io.StringIO()
    with (
        harness.fresh_process(),
        harness.patch_module_args(args),
        contextlib.redirect_stdout(printed),
        pytest.raises(SystemExit),
    ):
        run_as_module(LEAK)
    module_result, failed = harness.parse(printed.getvalue())
    assert not failed and harness.masks(module_result, SK, TOKEN), module_result
    in_process, failed = harness.run_action(LEAK, dict(profile_file=path))
    assert not failed and harness.masks(in_process, SK, TOKEN), in_process


def test_the_region_is_not_taken_from_the_profile(run, sim, tmp_path):
    # The CLI's cn-beijing is not Live's signing region: the request is signed for cn-north-1 and verifies.
    result, failed = run(INFO, info(sim, profile_file=write_profiles(tmp_path / 'config.json')))
    assert not failed, result


def test_a_session_token_comes_with_the_profile(run, tmp_path):
    simulator = Simulator(accounts={AK: SK}, domains=[VHOST], rate_limit=0).start()
    try:
        path = write_profiles(
            tmp_path / 'config.json', main={'mode': 'ak', 'access-key': AK, 'secret-key': SK, 'session-token': TOKEN}
        )
        result, failed = run(INFO, info(simulator, profile_file=path))
        assert not failed, result
        assert_no_secret(result)
    finally:
        simulator.stop()


@pytest.mark.parametrize(
    ('content', 'profile', 'words'),
    [
        (None, 'main', 'does not exist'),
        ('{"current": "main", "profiles": {', None, 'not valid JSON'),
        ('[]', None, 'no "profiles" object'),
        (json.dumps({'profiles': {'main': {}}}), None, 'names no "current" profile'),
        (None, 'nosuch', "has no profile 'nosuch'"),
        (json.dumps({'current': 'main', 'profiles': {'main': {'mode': 'sso', 'access-key': AK}}}), None, "mode 'sso'"),
        (
            json.dumps({'current': 'main', 'profiles': {'main': {'mode': 'ak', 'secret-key': SK}}}),
            None,
            'no access-key',
        ),
    ],
)
def test_an_unusable_profile_fails_before_any_request(  # noqa: PLR0913 - pytest fixtures and parameters
    run,
    sim,
    tmp_path,
    content,
    profile,
    words,
):
    path = tmp_path / 'config.json'
    if content is not None:
        path.write_text(content, encoding='utf-8')
    elif profile == 'nosuch':
        write_profiles(path)
    result, failed = run(INFO, info(sim, profile=profile, profile_file=str(path)))
    assert failed and words in result['msg'], result
    assert str(path) in result['msg'] and result['option'] == 'profile'
    assert requests_seen(sim) == 0
    assert_no_secret(result)


def test_no_profile_file_and_no_credentials_is_the_usual_message(run, sim):
    result, failed = run(INFO, info(sim))
    assert failed and 'access_key is required' in result['msg'] and requests_seen(sim) == 0


# --- a private CA ------------------------------------------------------------------------------------------


def test_a_certificate_that_does_not_verify_fails_clearly(run, tls_sim):
    result, failed = run(INFO, info(tls_sim, access_key=AK, secret_key=SK))
    assert failed and result['error']['code'] == 'TLSError' and result['error']['attempts'] == 1
    assert 'ca_path' in result['msg'] and 'REQUESTS_CA_BUNDLE' in result['msg']
    assert 'Traceback' not in json.dumps(result) and result.get('exception') is None


def test_ca_path_verifies_the_endpoint(run, tls_sim, ca):
    result, failed = run(INFO, info(tls_sim, access_key=AK, secret_key=SK, ca_path=ca[0]))
    assert not failed, result


def test_requests_ca_bundle_is_honoured(run, tls_sim, ca, monkeypatch):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', ca[0])
    result, failed = run(INFO, info(tls_sim, access_key=AK, secret_key=SK))
    assert not failed, result


def test_a_ca_path_that_is_not_a_file_fails_before_any_request(run, sim, tmp_path):
    result, failed = run(INFO, info(sim, access_key=AK, secret_key=SK, ca_path=str(tmp_path / 'missing.pem')))
    assert failed and 'is not a file' in result['msg'] and requests_seen(sim) == 0


# --- proxies -----------------------------------------------------------------------------------------------


def proxied(sim):
    """The simulator's endpoint by a name only the test proxy resolves: not loopback to the client."""
    return sim.endpoint.replace('127.0.0.1', PROXIED_HOST)


def test_https_proxy_carries_the_task(run, tls_sim, ca, proxy, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', proxy.url)
    result, failed = run(INFO, info(tls_sim, access_key=AK, secret_key=SK, ca_path=ca[0], endpoint=proxied(tls_sim)))
    assert not failed, result
    assert proxy.seen == ['CONNECT %s:%d' % (PROXIED_HOST, tls_sim.port)]


def test_no_proxy_goes_direct(run, tls_sim, ca, proxy, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', proxy.url)
    monkeypatch.setenv('NO_PROXY', PROXIED_HOST)
    result, failed = run(INFO, info(tls_sim, access_key=AK, secret_key=SK, ca_path=ca[0], endpoint=proxied(tls_sim)))
    assert failed and PROXIED_HOST in result['msg'], result  # reached directly: only the proxy knows the name
    assert proxy.seen == []


def test_http_proxy_for_a_plain_http_endpoint(run, sim, proxy, monkeypatch):
    monkeypatch.setenv('HTTP_PROXY', proxy.url)
    args = info(sim, access_key=AK, secret_key=SK, endpoint=proxied(sim), allow_insecure_http=True)
    result, failed = run(INFO, args)
    assert not failed, result
    assert len(proxy.seen) == 1 and proxy.seen[0].startswith('POST http://%s:%d/?Action=' % (PROXIED_HOST, sim.port))


@pytest.mark.parametrize('scheme', ['http', 'https'])
def test_a_loopback_endpoint_never_goes_through_a_proxy(  # noqa: PLR0913 - pytest fixtures and parameters
    run,
    sim,
    tls_sim,
    ca,
    proxy,
    monkeypatch,
    scheme,
):
    """A proxy of the environment would carry a loopback endpoint's signed requests (and, over http, its session
    token) to another host: loopback is always reached directly, NO_PROXY or not."""
    for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'):
        monkeypatch.setenv(name, proxy.url)
    monkeypatch.delenv('NO_PROXY', raising=False)
    target = sim if scheme == 'http' else tls_sim
    result, failed = run(INFO, info(target, access_key=AK, secret_key=SK, session_token=TOKEN, ca_path=ca[0]))
    assert proxy.seen == []
    assert requests_seen(target) == 1, result
    assert_no_secret(result)


def test_a_proxy_that_is_down_fails_clearly(run, tls_sim, ca, monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://127.0.0.1:9')
    result, failed = run(INFO, info(tls_sim, access_key=AK, secret_key=SK, ca_path=ca[0], endpoint=proxied(tls_sim)))
    assert failed and 'proxy' in result['msg'] and 'NO_PROXY' in result['msg'], result
    assert os.environ['HTTPS_PROXY'] == 'http://127.0.0.1:9'


# Bounded waits: connect_timeout and answer_timeout, from options or the environment, checked before any request.

BUDGET_ENV = ('VOLCENGINE_CONNECT_TIMEOUT', 'VOLCENGINE_ANSWER_TIMEOUT')


@pytest.fixture
def no_budget_env(monkeypatch):
    for name in BUDGET_ENV:
        monkeypatch.delenv(name, raising=False)


def test_the_budgets_are_connection_options_with_environment_variables():
    spec = connection_argument_spec()
    for option, variable, default in (
        ('connect_timeout', 'VOLCENGINE_CONNECT_TIMEOUT', 15),
        ('answer_timeout', 'VOLCENGINE_ANSWER_TIMEOUT', 90),
    ):
        assert spec[option]['type'] == 'float' and spec[option]['default'] == default
        assert spec[option]['fallback'][1] == [variable]


@pytest.mark.parametrize('option', ['connect_timeout', 'answer_timeout'])
@pytest.mark.parametrize('value', [0, -1, 3601, 'inf', 'nan', '1e300'])
def test_a_budget_out_of_bounds_fails_before_any_request(run, sim, no_budget_env, option, value):
    result, failed = run(INFO, info(sim, **{option: value}))
    msg = result['msg']
    assert failed and msg.startswith(option) and ('at most 3600' in msg or 'must not be negative' in msg)
    assert requests_seen(sim) == 0


def closed_port():
    import socket

    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_a_refused_endpoint_fails_within_connect_timeout_from_the_environment(run, no_budget_env, monkeypatch):
    import time

    monkeypatch.setenv('VOLCENGINE_CONNECT_TIMEOUT', '1.5')
    port = closed_port()
    started = time.monotonic()
    result, failed = run(
        INFO,
        dict(vhost=VHOST, access_key=AK, secret_key=SK, endpoint='http://127.0.0.1:%d' % port, rate_limit=0),
    )
    took = time.monotonic() - started
    assert failed and took < 2.5, took  # the default retries (8) alone back off for up to a minute
    msg = result['msg']
    assert '127.0.0.1:%d' % port in msg and 'refused' in msg.lower()
    assert 'failing to reach 127.0.0.1:%d' % port in msg
    assert 'connect_timeout: at most 1.5 s, or the environment variable VOLCENGINE_CONNECT_TIMEOUT' in msg
    assert result['error']['code'] == 'ConnectionError'


def test_an_endpoint_that_never_answers_fails_within_answer_timeout(run, no_budget_env):
    import socket
    import threading
    import time

    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(16)
    held = []

    def accept():
        while True:
            try:
                held.append(server.accept())
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    endpoint = 'http://127.0.0.1:%d' % server.getsockname()[1]
    started = time.monotonic()
    try:
        result, failed = run(
            INFO,
            dict(
                vhost=VHOST,
                access_key=AK,
                secret_key=SK,
                endpoint=endpoint,
                rate_limit=0,
                timeout=1,
                answer_timeout=2.5,
            ),
        )
    finally:
        server.close()
    took = time.monotonic() - started
    assert failed and took < 3.5, took
    msg = result['msg']
    assert 'no answer from 127.0.0.1' in msg and 'answer_timeout ran out' in msg
    assert 'Waited 2.5 s in all for answers from %s' % endpoint[len('http://') :] in msg
    assert 'VOLCENGINE_ANSWER_TIMEOUT' in msg and 'timeout: 1 s for each request' in msg
    assert result['error']['attempts'] < 9  # retries were left
