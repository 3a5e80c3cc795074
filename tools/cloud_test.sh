#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Runs the integration target relay_source_cloud against the REAL Volcengine Live API, with a maintainer's own
# credentials and a pull domain the account owns. Never run by CI (CI runs the same target against the simulator).
# See docs/testing-real-service.md for what it does, what it may cost and what to report.
#
# Usage: VOLCENGINE_ACCESS_KEY=... VOLCENGINE_SECRET_KEY=... LIVE_TEST_DOMAIN=pull.example.com \
#        [VOLCENGINE_REGION=cn-north-1] [VOLCENGINE_ENDPOINT=https://live.volcengineapi.com] \
#        [LIVE_TEST_PREFIX=ansible-it] bash tools/cloud_test.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/lib.sh
. "$ROOT/tools/lib.sh"

: "${VOLCENGINE_ACCESS_KEY:?set VOLCENGINE_ACCESS_KEY}" "${VOLCENGINE_SECRET_KEY:?set VOLCENGINE_SECRET_KEY}"
: "${LIVE_TEST_DOMAIN:?set LIVE_TEST_DOMAIN to a pull domain of the account}"

use_series core
setup_venv
install_pip_standin
stage_collection
config="$COLLECTION/tests/integration/integration_config.yml"
rm -f "$config"
trap 'rm -f "$config"' EXIT
render_integration_config "$config"
log "relay_source_cloud against $(grep -o '^cloud_endpoint: "[^"]*"' "$config")"
(cd "$COLLECTION" && "$VENV/bin/ansible-test" integration --venv --python "$PYVER" --color no --allow-unsupported \
    relay_source_cloud)
