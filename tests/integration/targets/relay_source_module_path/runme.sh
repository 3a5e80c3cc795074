#!/usr/bin/env bash
# The other targets run on a local connection, where the action plugins run the modules' code in Ansible's
# worker process. This target runs the same tasks with volcengine_live_in_process=false, so each module
# runs as a module process, as it does on any other connection, and checks from the -vvv output that it did.
set -eu

config=../../integration_config.yml
out=${OUTPUT_DIR:-$(mktemp -d)}

ANSIBLE_ROLES_PATH=.. ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -e volcengine_live_in_process=false module_path.yml -vvv \
    > "$out/module-path.log" 2>&1 || {
    cat "$out/module-path.log"
    exit 1
}
grep -q 'volcengine.live.relay_source: runs as a module process: volcengine_live_in_process is false' \
    "$out/module-path.log"
grep -q 'volcengine.live.relay_source_info: runs as a module process: volcengine_live_in_process is false' \
    "$out/module-path.log"
if grep -q 'runs in the worker process on the controller' "$out/module-path.log"; then
    echo 'a task ran in-process although volcengine_live_in_process is false' >&2
    exit 1
fi
grep -E '^(PLAY RECAP|testhost)' "$out/module-path.log"
if grep -q '\[DEPRECATION WARNING\]' "$out/module-path.log"; then
    grep '\[DEPRECATION WARNING\]' "$out/module-path.log" >&2
    exit 1
fi
