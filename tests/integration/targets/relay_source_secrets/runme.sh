#!/usr/bin/env bash
# Runs a failing play (wrong secret key) and a succeeding play at -vvvv, then checks that neither
# output shows a secret or a request signature.
set -eu

config=../../integration_config.yml
out=${OUTPUT_DIR:-$(mktemp -d)}
VOLCENGINE_SECRET_KEY=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["sim_secret_key"])' "$config")
export VOLCENGINE_SECRET_KEY

ansible-playbook -i "$INVENTORY_PATH" -e "@$config" plays.yml -vvvv > "$out/secrets-plays.log" 2>&1 || {
    cat "$out/secrets-plays.log"
    exit 1
}
ansible-playbook -i "$INVENTORY_PATH" -e "@$config" -e "log_file=$out/secrets-plays.log" check_output.yml
