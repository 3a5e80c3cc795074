# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures of the module unit tests (``http`` and ``clean_env`` are in ../conftest.py)."""

from __future__ import annotations

import pytest

from ansible_collections.volcengine.live.tests.unit.plugins.modules import module_harness


@pytest.fixture(autouse=True, params=module_harness.PATHS)
def path(request, monkeypatch):
    """Every module test runs twice: as a module process would, and as the action plugin does in-process."""
    monkeypatch.setitem(module_harness.MODE, 'path', request.param)
    return request.param
