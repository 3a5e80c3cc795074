# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures of the module unit tests."""

from __future__ import annotations

import time

import pytest
import requests

from ansible_collections.volcengine.live.tests.unit.plugins.modules import module_harness
from ansible_collections.volcengine.live.tests.unit.plugins.modules.fake_live import FakeLive

ENV_NAMES = ('VOLCENGINE_ACCESS_KEY', 'VOLCENGINE_SECRET_KEY', 'VOLCENGINE_SESSION_TOKEN', 'VOLCENGINE_REGION',
             'VOLCENGINE_ENDPOINT', 'VOLC_ACCESSKEY', 'VOLC_SECRETKEY')


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True, params=module_harness.PATHS)
def path(request, monkeypatch):
    """Every module test runs twice: as a module process would, and as the action plugin does in-process."""
    monkeypatch.setitem(module_harness.MODE, 'path', request.param)
    return request.param


@pytest.fixture
def http(monkeypatch):
    """Install the in-memory API as requests.Session; waits are recorded in ``http.sleeps``, not slept."""
    live = FakeLive()
    monkeypatch.setattr(requests, 'Session', lambda: live)
    monkeypatch.setattr(time, 'sleep', live.sleeps.append)
    return live
