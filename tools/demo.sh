#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Runs examples/relay_source.yml end to end with no cloud account: sets up a virtual environment
# with ansible-core, starts the local Live API simulator, runs the playbook against it with the
# endpoint and credentials in the environment, prints the registered task_id, stops the simulator.
#
# The simulator keeps its configurations in .build/demo-state.json, so a second run finds what the
# first one made (rm it to start over). Extra arguments go to ansible-playbook.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/lib.sh
. "$ROOT/tools/lib.sh"

# ANSIBLE_CORE and PYTHON choose the series and the Python; by default the newest series that a Python
# found here supports.
use_series demo
setup_venv
stage_collection
state="$ROOT/.build/demo-state.json"
start_simulator "$state"
trap 'stop_simulator' EXIT
log "Live API simulator on $(sim_endpoint) (state: $state)"

VOLCENGINE_ENDPOINT=$(sim_endpoint)
export VOLCENGINE_ENDPOINT
export VOLCENGINE_ACCESS_KEY="$SIM_ACCESS_KEY"
export VOLCENGINE_SECRET_KEY="$SIM_SECRET_KEY"
export ANSIBLE_COLLECTIONS_PATH="$BUILD_ROOT"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

log "ansible-playbook examples/relay_source.yml"
"$VENV/bin/ansible-playbook" "$ROOT/examples/relay_source.yml" -e "domain=$SIM_DOMAIN" "$@"
