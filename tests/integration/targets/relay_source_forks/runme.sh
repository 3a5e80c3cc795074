#!/usr/bin/env bash
# 100 streams with forks: 20 against a simulator whose quota is far below 10 requests/s (an account shared
# with other tools, so throttling is certain): all 100 configured, none twice, no failed task.
set -eu

config=../../integration_config.yml
ansible-playbook -i "$INVENTORY_PATH" -e "@$config" quota.yml -e quota=2
trap 'ansible-playbook -i "$INVENTORY_PATH" -e "@$config" quota.yml -e quota=10' EXIT
ansible-playbook -i streams.ini -e "@$config" --forks 20 streams.yml
ansible-playbook -i "$INVENTORY_PATH" -e "@$config" verify.yml
