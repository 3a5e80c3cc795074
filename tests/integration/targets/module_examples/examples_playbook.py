# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print a playbook that runs the EXAMPLES block of every module of the collection, one play per module."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

# The domains the examples name, beside the simulator's own: added to the simulator's account first.
DOMAINS = ['pull.example.com', 'pull2.example.com', 'push.example.com']


def examples(module):
    """The tasks of the module's EXAMPLES, as ansible-doc gives them (from the collection Ansible finds)."""
    out = subprocess.run(
        ['ansible-doc', '--json', '-t', 'module', 'volcengine.live.%s' % module], check=True, capture_output=True
    ).stdout
    return yaml.safe_load(json.loads(out)['volcengine.live.%s' % module]['examples']) or []


def modules():
    out = subprocess.run(
        ['ansible-doc', '--json', '-t', 'module', '-l', 'volcengine.live'], check=True, capture_output=True
    ).stdout
    return sorted(name.rsplit('.', 1)[1] for name in json.loads(out))


def play(module, tasks):
    prepare = [
        {'name': 'Empty the simulator', 'ansible.builtin.include_role': {'name': 'setup_live_simulator'}},
        {
            'name': 'The domains the examples name belong to the account',
            'ansible.builtin.uri': {
                'url': '{{ sim_endpoint }}/_sim/config',
                'method': 'POST',
                'body_format': 'json',
                'body': {'domains': DOMAINS},
            },
        },
    ]
    return {
        'name': 'The EXAMPLES of volcengine.live.%s' % module,
        'hosts': 'testhost',
        'gather_facts': False,
        'module_defaults': {
            'group/volcengine.live.live': {
                'endpoint': '{{ sim_endpoint }}',
                'access_key': '{{ sim_access_key }}',
                'secret_key': '{{ sim_secret_key }}',
            }
        },
        'tasks': prepare + tasks,
    }


def main():
    plays = [play(module, examples(module)) for module in modules()]
    json.dump(plays, sys.stdout, indent=1, ensure_ascii=False)  # JSON is YAML, without anchors


if __name__ == '__main__':
    main()
