# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A refused credential's hint names where the credentials came from (an option, an environment variable, a
profile and its file), and a signature refusal says when the region is not Live's. Against the simulator."""

from __future__ import annotations

import json

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._core.errors import credential_hint
from ansible_collections.volcengine.live.plugins.module_utils._core.profile import credentials_origin
from ansible_collections.volcengine.live.plugins.modules.relay_source_info import DEFINITION as INFO
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

AK, SK = 'AKLThints', 'hints-secret-key-1c9e'
DOMAIN = 'pull.example.com'


@pytest.fixture
def sim():
    simulator = Simulator(accounts={AK: SK}, domains=[DOMAIN], rate_limit=0).start()
    yield simulator
    simulator.stop()


def info(sim, **extra):
    return dict(dict(domain=DOMAIN, endpoint=sim.endpoint, rate_limit=0, retries=0, timeout=5), **extra)


def profile_file(path, access_key, secret_key):
    profiles = {'main': {'mode': 'ak', 'access-key': access_key, 'secret-key': secret_key}}
    path.write_text(json.dumps({'current': 'main', 'profiles': profiles}), encoding='utf-8')
    return str(path)


def test_a_wrong_key_from_a_profile_names_the_profile_and_its_file(run, sim, tmp_path):
    path = profile_file(tmp_path / 'config.json', 'AKLTunknown', SK)
    result, failed = run(INFO, info(sim, profile_file=path))
    assert failed and result['error']['code'] == 'InvalidAccessKey', result
    assert 'profile main of %s' % path in result['msg']
    assert 'VOLCENGINE_ACCESS_KEY' not in result['msg']


def test_a_wrong_secret_from_the_environment_names_the_variable(run, sim, monkeypatch):
    monkeypatch.setenv('VOLCENGINE_ACCESS_KEY', AK)
    monkeypatch.setenv('VOLCENGINE_SECRET_KEY', 'not-the-secret')
    result, failed = run(INFO, info(sim))
    assert failed and result['error']['code'] == 'SignatureDoesNotMatch', result
    named = 'the secret key of the environment variables VOLCENGINE_ACCESS_KEY and VOLCENGINE_SECRET_KEY'
    assert named in result['msg']
    assert 'not-the-secret' not in json.dumps(result)


def test_a_wrong_key_given_as_options_names_the_options(run, sim):
    result, failed = run(INFO, info(sim, access_key='AKLTunknown', secret_key=SK))
    assert failed and 'the access key of the options access_key and secret_key' in result['msg'], result


def test_a_wrong_region_is_named_beside_the_secret_key(run, sim):
    result, failed = run(INFO, info(sim, access_key=AK, secret_key=SK, region='cn-beijing'))
    assert failed and result['error']['code'] == 'SignatureDoesNotMatch', result
    assert 'region: it is cn-beijing, while Volcengine Live signs with cn-north-1' in result['msg']


def test_missing_credentials_mention_a_profile(run, sim):
    result, failed = run(INFO, info(sim))
    assert failed and 'profile' in result['msg'] and 'VOLCENGINE_PROFILE' in result['msg'], result


@pytest.mark.parametrize(
    'given, profile, environ, expected',
    [
        ((), 'main', {}, 'profile main of ~/.volcengine/config.json'),
        (('ak',), None, {'VOLCENGINE_ACCESS_KEY': AK}, 'the options access_key and secret_key'),
        ((), None, {'VOLC_ACCESSKEY': AK}, 'the environment variables VOLC_ACCESSKEY and VOLC_SECRETKEY'),
        ((), None, {}, None),
    ],
)
def test_credentials_origin(given, profile, environ, expected):
    params = {'access_key': AK, 'profile_file': '~/.volcengine/config.json'}
    assert credentials_origin(params, given, profile, environ) == expected


def test_hints_of_other_codes_are_the_tables():
    assert credential_hint('InvalidParam', 'the options access_key and secret_key', 'cn-beijing') is None
    assert credential_hint('SignatureDoesNotMatch', None, 'cn-north-1') is None
