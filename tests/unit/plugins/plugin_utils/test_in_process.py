# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The in-process adapter: what it needs of ansible-core, and deprecations as AnsibleModule gives them."""

from __future__ import annotations

import pytest

from ansible_collections.volcengine.live.plugins.module_utils._module import ModuleDefinition
from ansible_collections.volcengine.live.plugins.plugin_utils import _in_process


def test_the_running_ansible_core_has_what_in_process_needs():
    assert _in_process.unsupported_reason() is None


class _Result:
    """A ValidationResult of some other ansible-core."""

    def __init__(self, **attributes):
        self.__dict__.update(attributes)


GOOD = dict(
    _no_log_values={'probe-value'},
    _warnings=[{'option': 'probe', 'alias': 'probe_alias'}],
    _deprecations=[{'msg': "Alias 'probe_alias' is deprecated.", 'version': '99.0.0'}],
)


@pytest.mark.parametrize(
    'attributes, reason',
    [
        ({'_no_log_values': None}, 'has no _no_log_values'),
        ({'_warnings': ()}, 'has no _warnings'),
        ({'_deprecations': None}, 'has no _deprecations'),
        ({'_no_log_values': set()}, '_no_log_values misses a no_log value'),
        (
            {'_warnings': ['Both option probe and its alias probe_alias are set.']},
            '_warnings are not of the known form',
        ),
        ({'_deprecations': [('probe_alias', '99.0.0')]}, '_deprecations are not of the known form'),
    ],
)
def test_a_core_that_lacks_any_of_it_is_named(monkeypatch, attributes, reason):
    class Validator:
        def __init__(self, spec):
            pass

        def validate(self, params):
            return _Result(**dict(GOOD, **attributes))

    monkeypatch.setattr(_in_process, 'ArgumentSpecValidator', Validator)
    assert reason in _in_process._probe()


def test_a_core_whose_validator_breaks_is_named(monkeypatch):
    class Validator:
        def __init__(self, spec):
            raise TypeError('unexpected keyword')

    monkeypatch.setattr(_in_process, 'ArgumentSpecValidator', Validator)
    assert _in_process._probe() == 'ArgumentSpecValidator failed on a probe: unexpected keyword'


def test_the_older_form_of_an_alias_deprecation_passes_the_probe(monkeypatch):
    class Validator:
        def __init__(self, spec):
            pass

        def validate(self, params):
            attributes = dict(GOOD)
            attributes['_deprecations'] = [{'name': 'probe_alias', 'version': '99.0.0'}]
            return _Result(**attributes)

    monkeypatch.setattr(_in_process, 'ArgumentSpecValidator', Validator)
    assert _in_process._probe() is None


@pytest.mark.parametrize(
    'entry, reported',
    [
        (
            {'name': 'colour', 'version': '2.0.0', 'collection_name': 'volcengine.live'},
            {
                'msg': "Alias 'colour' is deprecated. See the module docs for more information",
                'version': '2.0.0',
                'collection_name': 'volcengine.live',
            },
        ),
        (
            {
                'msg': "Alias 'colour' is deprecated. See the module docs for more information",
                'date': '2027-06-01',
                'collection_name': 'volcengine.live',
            },
            {
                'msg': "Alias 'colour' is deprecated. See the module docs for more information",
                'date': '2027-06-01',
                'collection_name': 'volcengine.live',
            },
        ),
    ],
)
def test_deprecation_entries(entry, reported):
    assert _in_process.deprecation(entry) == reported


def test_deprecated_aliases_and_options_reach_the_result():
    spec = dict(
        color=dict(
            type='str',
            aliases=['colour'],
            deprecated_aliases=[dict(name='colour', version='2.0.0', collection_name='volcengine.live')],
        ),
        size=dict(type='int', removed_in_version='2.0.0', removed_from_collection='volcengine.live'),
    )
    definition = ModuleDefinition('probe', spec, lambda params, check_mode, diff, warn: dict(changed=False))
    result = _in_process.run_task(definition, {'colour': 'red', 'size': 3}, False, False)
    messages = sorted(item['msg'] for item in result['deprecations'])
    assert len(messages) == 2
    assert "Alias 'colour' is deprecated" in messages[0]
    assert 'size' in messages[1]
    assert all(item['version'] == '2.0.0' for item in result['deprecations'])
    assert _in_process.run_task(definition, {'color': 'red'}, False, False).get('deprecations') is None


# --- arguments as a module process receives them ------------------------------------------------

PLAIN = (dict, list, str, int, float, bool, type(None))


def _types(value):
    if isinstance(value, dict):
        return {type(value)} | {type(key) for key in value} | set().union(*(_types(v) for v in value.values()))
    if isinstance(value, list):
        return {type(value)}.union(*(_types(v) for v in value))
    return {type(value)}


def test_arguments_loaded_by_ansible_become_plain_types():
    from ansible.parsing.dataloader import DataLoader

    loaded = DataLoader().load(
        'relay_sources:\n'
        '  - app: live\n'
        '    stream: s1\n'
        '    src_addrs: [rtmp://origin.example.com/live/s1]\n'
        '    start_time: 1700000000\n'
        'purge: true\n'
        'timeout: 2.5\n'
        'session_token: null\n'
    )
    assert loaded['relay_sources'][0]['stream'].__class__ is not str  # Ansible's own subclass, in every series
    plain = _in_process.module_args(loaded)
    assert plain == loaded
    assert _types(plain) <= set(PLAIN)


def test_arguments_become_what_json_would_give_back():
    marker = object()
    assert _in_process.module_args({1: ('a', 'b'), 'n': 3, 'other': marker}) == {
        '1': ['a', 'b'],
        'n': 3,
        'other': marker,
    }
    assert _in_process.module_args(True) is True


def test_the_module_code_runs_on_plain_arguments():
    from ansible.parsing.dataloader import DataLoader

    seen = []
    spec = dict(items=dict(type='list', elements='dict', options=dict(name=dict(type='str'))))

    def run(params, check_mode, diff, warn):
        seen.append(_types(params))
        return dict(changed=False)

    loaded = DataLoader().load('items:\n  - name: one\n  - name: two\n')
    result = _in_process.run_task(ModuleDefinition('probe', spec, run), loaded, False, False)
    assert not result.get('failed') and seen and seen[0] <= set(PLAIN)
