# -*- coding: utf-8 -*-
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every module is in the action group, with its action plugin and its definition: a module missing from
meta/runtime.yml would silently lose ``module_defaults: group/volcengine.live.live``."""

from __future__ import annotations

import ast
import importlib
import os

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
MODULES = sorted(
    name[:-3]
    for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
    if name.endswith('.py') and name[0] != '_'
)


def documentation(module):
    with open(os.path.join(ROOT, 'plugins', 'modules', module + '.py'), encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'DOCUMENTATION':
            return yaml.safe_load(node.value.value)
    raise AssertionError('%s has no DOCUMENTATION' % module)


def test_the_modules_are_found():
    assert len(MODULES) >= 8 and 'relay_source' in MODULES and 'pull_to_push_task' in MODULES


def test_the_action_group_lists_every_module_and_nothing_else():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml'), encoding='utf-8') as handle:
        runtime = yaml.safe_load(handle)
    assert sorted(runtime['action_groups']['live']) == MODULES


@pytest.mark.parametrize('module', MODULES)
def test_each_module_says_it_is_in_the_group(module):
    group = documentation(module)['attributes']['action_group']
    assert group['support'] == 'full' and group['membership'] == ['volcengine.live.live']


@pytest.mark.parametrize('module', MODULES)
def test_each_module_has_its_action_plugin_and_definition(module):
    action = importlib.import_module('ansible_collections.volcengine.live.plugins.action.%s' % module)
    definition = importlib.import_module('ansible_collections.volcengine.live.plugins.modules.%s' % module)
    assert action.ActionModule.DEFINITION is definition.DEFINITION
    assert definition.DEFINITION.name == module
