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

# Both paths give the same result: paths.yml runs once in the worker process and once as module processes, at
# -vvvv, with INJECT_INVOCATION off and on (ansible-core 2.21 and later echo a module's arguments only when it is
# on; earlier releases have no such setting and ignore it). compare_paths.py compares the registered results and
# the results, warnings and deprecations shown, checks that no secret is shown, and fails on any deprecation
# warning.
secret=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sim_secret_key"])' "$config")
for inject in false true; do
    for in_process in true false; do
        ANSIBLE_INJECT_INVOCATION=$inject ansible-playbook -i "$INVENTORY_PATH" -e "@$config" \
            -e "volcengine_live_in_process=$in_process" -e "path_label=$in_process" \
            -e "result_file=$out/paths-$inject-$in_process.json" paths.yml -vvvv > "$out/paths-$inject-$in_process.log" 2>&1 || {
            cat "$out/paths-$inject-$in_process.log"
            exit 1
        }
    done
    echo "INJECT_INVOCATION=$inject:"
    python compare_paths.py "$out/paths-$inject-true.json" "$out/paths-$inject-false.json" \
        "$out/paths-$inject-true.log" "$out/paths-$inject-false.log" "$secret" Paths-Wrong-Secret-Canary-4e1b
done
