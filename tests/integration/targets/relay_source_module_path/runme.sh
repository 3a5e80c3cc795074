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

# invocation: ansible-core 2.21 echoes a module's arguments only when INJECT_INVOCATION is on. The in-process
# path must do what the module process does, in both settings. (Earlier releases have no such setting, and
# their registered results carry no invocation by either path: only the agreement is checked there.)
has_setting=$(ansible-config list 2>/dev/null | grep -c '^INJECT_INVOCATION:' || true)
for inject in false true; do
    expect=unknown
    if [ "$has_setting" -gt 0 ]; then
        expect=$inject
    fi
    ANSIBLE_INJECT_INVOCATION=$inject ansible-playbook -i "$INVENTORY_PATH" -e "@$config" \
        -e "expect_invocation=$expect" invocation.yml > "$out/invocation-$inject.log" 2>&1 || {
        cat "$out/invocation-$inject.log"
        exit 1
    }
done
