#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Starts the local Live API simulator in the foreground, from a fresh clone: sets up the virtual environment it
# runs in (ansible-core's, with the official SDK the simulator checks signatures with; tools/requirements-dev.txt),
# then runs `python -m live_simulator`. Prints the endpoint and the environment a playbook needs; Ctrl-C stops it.
#
# Usage: bash tools/simulator.sh [SIMULATOR OPTION...]   (docs/simulator.md lists them; by default a free port,
#        the state in .build/simulator-state.json, the account and domain of tools/lib.sh)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/lib.sh
. "$ROOT/tools/lib.sh"

use_series simulator
setup_venv > /dev/null
state="$ROOT/.build/simulator-state.json"
mkdir -p "$ROOT/.build"
start_simulator "$state" "$@"
trap 'stop_simulator' EXIT
trap 'exit 0' INT TERM
cat <<TEXT

Live API simulator on $(sim_endpoint) (state: $state). For a playbook:

    export VOLCENGINE_ENDPOINT=$(sim_endpoint)
    export VOLCENGINE_ACCESS_KEY=$SIM_ACCESS_KEY VOLCENGINE_SECRET_KEY=$SIM_SECRET_KEY

Its domain is $SIM_DOMAIN. Ctrl-C stops it.
TEXT
wait "$SIM_PID"
