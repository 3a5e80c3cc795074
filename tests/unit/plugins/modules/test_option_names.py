# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One name per concept across the modules: an audit of the argument specs, and the aliases at work."""

from __future__ import annotations

import time

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._core.connection import connection_argument_spec
from ansible_collections.volcengine.live.plugins.modules import play_relay_source as _play_relay_source
from ansible_collections.volcengine.live.plugins.modules import play_relay_source_info as _play_relay_source_info
from ansible_collections.volcengine.live.plugins.modules import pull_to_push_group as _pull_to_push_group
from ansible_collections.volcengine.live.plugins.modules import pull_to_push_task as _pull_to_push_task
from ansible_collections.volcengine.live.plugins.modules import pull_to_push_task_info as _pull_to_push_task_info
from ansible_collections.volcengine.live.plugins.modules import relay_source as _relay_source
from ansible_collections.volcengine.live.plugins.modules import relay_source_info as _relay_source_info
from ansible_collections.volcengine.live.plugins.modules import relay_sources as _relay_sources
from ansible_collections.volcengine.live.plugins.modules import stream_info as _stream_info
from ansible_collections.volcengine.live.tools.live_simulator.server import Simulator

DEFINITIONS = [
    module.DEFINITION
    for module in (
        _relay_source,
        _relay_sources,
        _relay_source_info,
        _play_relay_source,
        _play_relay_source_info,
        _pull_to_push_task,
        _pull_to_push_task_info,
        _pull_to_push_group,
        _stream_info,
    )
]
# The concepts two or more modules take, by the one name each has: a list goes under the plural, with the
# singular as an alias.
CONCEPTS = {'group': 'groups', 'domain': None, 'app': None, 'stream': None, 'vhost': None, 'state': None}


def names(spec):
    """Every name a module's own options answer to: ``{name or alias: option}``."""
    own = {key: option for key, option in spec.items() if key not in connection_argument_spec()}
    return {alias: key for key, option in own.items() for alias in [key] + list(option.get('aliases') or [])}


@pytest.mark.parametrize('definition', DEFINITIONS, ids=lambda definition: definition.name)
def test_every_concept_has_one_name(definition):
    spec = definition.argument_spec
    answered = names(spec)
    for singular, plural in CONCEPTS.items():
        if plural and plural in spec:
            assert spec[plural]['type'] == 'list' and singular in spec[plural].get('aliases', []), plural
        for key, option in spec.items():
            # No other name for the concept: an option spelled differently that means it (e.g. "groups" as a str).
            if key != singular and key.rstrip('s') == singular:
                assert option['type'] == 'list', key
    assert set(answered) >= {key for key in spec if key not in connection_argument_spec()}


def test_pull_to_push_task_info_takes_group_as_pull_to_push_task_does(run, tmp_path):
    ak, sk = 'AKLTnames', 'names-secret'
    sim = Simulator(state_path=str(tmp_path / 's.json'), accounts={ak: sk}, domains=['push.example.com'], rate_limit=0)
    sim.start()
    try:
        connection = dict(endpoint=sim.endpoint, access_key=ak, secret_key=sk, rate_limit=0, timeout=2)
        start = int(time.time()) + 3600
        assert not run(_pull_to_push_group.DEFINITION, dict(connection, name='events'))[1]
        task = dict(
            connection,
            title='launch2026',
            group='events',
            type='live',
            source_url='rtmp://origin.example.com/live/s',
            destination_url='rtmp://push.example.net/live/s',
            start_time=start,
            end_time=start + 3600,
        )
        assert not run(_pull_to_push_task.DEFINITION, task)[1]
        listed, failed = run(_pull_to_push_task_info.DEFINITION, dict(connection, group='events'))
        assert not failed, listed
        assert [(item['title'], item['group']) for item in listed['pull_to_push_tasks']] == [('launch2026', 'events')]
    finally:
        sim.stop()
