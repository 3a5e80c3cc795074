#!/usr/bin/env bash
# Every module's EXAMPLES block runs against the simulator, as a user would paste it into a play: one play per
# module, the connection from module_defaults, the simulator emptied first, nothing else prepared. An example that
# fails, names an option that no longer exists or needs something it does not make itself breaks the build.
set -eu

config=../../integration_config.yml
python examples_playbook.py > examples.yml  # beside the targets, whose role setup_live_simulator it uses
ANSIBLE_ROLES_PATH=.. ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -e "@example_vars.yml" examples.yml
