# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One relay source of the pure-function tests, as a task asks for it and as a List item carries it."""

from __future__ import annotations

from ansible_collections.volcengine.live.plugins.module_utils._fixed_relay.rules import normalize_relay_source

D = 'pull.example.com'
SRC = ['rtmp://a.example.com/live/s', 'rtmp://b.example.com/live/s']


def desired(**overrides):
    """The normalised relay source ``pull.example.com/live/s`` with ``overrides`` of its parameters."""
    params = dict(domain=D, app='live', stream='s', src_addrs=list(SRC))
    params.update(overrides)
    return normalize_relay_source(params)


def item(**overrides):
    """A ListRelaySourceV4 item of the same stream with ``overrides`` of its keys."""
    base = {'Domain': D, 'App': 'live', 'Stream': 's', 'SrcAddrS': list(SRC)}
    base.update(overrides)
    return base
