#!/usr/bin/env bash
# Runs a failing play (wrong secret key) and a succeeding play at -vvvv, then checks that neither
# output shows a secret or a request signature. Both ways a task can run are checked: in Ansible's
# worker process (the default on a local connection) and as a module process.
set -eu

config=../../integration_config.yml
out=${OUTPUT_DIR:-$(mktemp -d)}
VOLCENGINE_SECRET_KEY=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sim_secret_key"])' "$config")
export VOLCENGINE_SECRET_KEY

for in_process in true false; do
    log="$out/secrets-plays-$in_process.log"
    ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -e "volcengine_live_in_process=$in_process" plays.yml \
        -vvvv > "$log" 2>&1 || {
        cat "$log"
        exit 1
    }
    if [ "$in_process" = true ]; then
        # In the worker process, or as a module process where this ansible-core lacks what that needs.
        grep -Eq 'volcengine.live.relay_source: runs (in the worker process on the controller|as a module process: ansible-core)' "$log"
    else
        grep -q 'volcengine.live.relay_source: runs as a module process' "$log"
    fi
    if grep '\[DEPRECATION WARNING\]' "$log" >&2; then
        exit 1
    fi
    ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -e "log_file=$log" check_output.yml
done
