#!/usr/bin/env bash
# Runs on every tested ansible-core series (tools/test.sh). A task of the collection runs in Ansible's worker
# process on a local connection where the core allows it, and as a module process otherwise; both must give the
# same result.
set -eu

config=../../integration_config.yml
out=${OUTPUT_DIR:-$(mktemp -d)}

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
