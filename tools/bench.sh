#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Benchmarks (prints numbers, asserts nothing): per-task overhead against ansible.builtin.ping, convergence of
# N streams against the simulator's 10 requests/s, signing speed against the official SDK, a whole domain
# with relay_sources (with --chart FILE, a PNG of wall time against streams; matplotlib is installed for it), and
# controllers that share no pacing file (a TMPDIR each) applying new streams on one account at once, and
# relay_sources waiting until 1000 new relays are online (--only wait).
# Usage: bash tools/bench.sh [--streams 200|1000] [--forks 10] [--tasks 30] [--json FILE] [--chart FILE]
#                            [--only per-stream|batch|controllers|wait] [--batch-streams 1000] [--big 10000]
#                            [--chart-sizes 100,300,1000] [--controllers 2x300,4x150,1x1000]
#                            [--controller-mode relay_sources|relay_source|both] [--wait-streams 1000] [--online-delay 5]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/lib.sh
. "$ROOT/tools/lib.sh"

use_series bench
setup_venv
case " $* " in
    *" --chart "*) "$VENV/bin/python" -m pip install --quiet matplotlib 2>&1 | quiet_pip ;;
esac
stage_collection
ANSIBLE_COLLECTIONS_PATH="$BUILD_ROOT" PYTHONPATH="$BUILD_ROOT" "$VENV/bin/python" "$ROOT/tools/bench/bench.py" "$@"
