#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Benchmarks (prints numbers, asserts nothing): per-task overhead against ansible.builtin.ping, convergence of
# N streams against the simulator's 10 requests/s, signing speed against the official SDK.
# Usage: bash tools/bench.sh [--streams 200|1000] [--forks 10] [--tasks 30] [--json FILE]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/lib.sh
. "$ROOT/tools/lib.sh"

setup_venv
stage_collection
ANSIBLE_COLLECTIONS_PATH="$BUILD_ROOT" PYTHONPATH="$BUILD_ROOT" "$VENV/bin/python" "$ROOT/tools/bench/bench.py" "$@"
