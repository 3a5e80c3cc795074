# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures of the module and action plugin unit tests."""

from __future__ import annotations

import time

import pytest
import requests

from ansible_collections.volcengine.live.tests.unit.helpers import harness
from ansible_collections.volcengine.live.tests.unit.helpers.fake_live import FakeLive

ENV_NAMES = (
    'VOLCENGINE_ACCESS_KEY',
    'VOLCENGINE_SECRET_KEY',
    'VOLCENGINE_SESSION_TOKEN',
    'VOLCENGINE_REGION',
    'VOLCENGINE_ENDPOINT',
    'VOLCENGINE_CONNECT_TIMEOUT',
    'VOLCENGINE_ANSWER_TIMEOUT',
    'VOLC_ACCESSKEY',
    'VOLC_SECRETKEY',
    'VOLCENGINE_PROFILE',
    'REQUESTS_CA_BUNDLE',
    'CURL_CA_BUNDLE',
    'HTTPS_PROXY',
    'HTTP_PROXY',
    'https_proxy',
    'http_proxy',
    'ALL_PROXY',
    'all_proxy',
    'NO_PROXY',
    'no_proxy',
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No credential, endpoint, proxy or ve CLI profile of the machine running the tests leaks into them."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('VOLCENGINE_PROFILE_FILE', str(tmp_path / 'no-such-profile-file.json'))


@pytest.fixture
def http(monkeypatch):
    """Install the in-memory API as requests.Session; waits are recorded in ``http.sleeps``, not slept."""
    live = FakeLive()
    monkeypatch.setattr(requests, 'Session', lambda: live)
    monkeypatch.setattr(time, 'sleep', live.sleeps.append)
    return live


@pytest.fixture(params=harness.PATHS)
def run(request):
    """``run(definition, args) -> (result, failed)`` by one path a task takes; a test that asks for it runs once
    as a module process would run it, and once as the action plugin does in-process."""
    return lambda definition, args: harness.run(request.param, definition, args)
