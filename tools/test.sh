#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Sets up a fresh machine and runs the whole test suite of the collection:
#   ansible-test sanity, ansible-test units, ansible-test integration (against the local
#   Live API simulator) and an ansible-doc render check.
#
# Usage: bash tools/test.sh [sanity|units|integration|doc ...]     (default: all of them)
# Environment:
#   ANSIBLE_CORE  ansible-core series to test with: 2.16, 2.17, 2.18 or 2.19 (default 2.19)
#   PYTHON        interpreter for the virtual environment (default python3)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/lib.sh
. "$ROOT/tools/lib.sh"
PYVER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
STEPS=("$@")
[ ${#STEPS[@]} -gt 0 ] || STEPS=(sanity units integration doc)

# The shellcheck sanity test needs the shellcheck program (a Debian package).
install_system_tools() {
    command -v shellcheck > /dev/null && return
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
        log "installing shellcheck"
        apt-get update -qq > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck > /dev/null
    else
        echo "shellcheck is not installed; ansible-test will skip its shellcheck sanity test" >&2
    fi
}

# ansible-test seeds each virtual environment it creates with a get-pip.py
# that it downloads; put the offline stand-in where it looks for a cached copy.
install_pip_standin() {
    local pip_version
    pip_version=$("$VENV/bin/python" - <<'PY'
import re, ansible_test, os
path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
print(re.search(r"pip='([0-9.]+)'", open(path).read()).group(1))
PY
)
    local cache="$HOME/.ansible/test/cache"
    mkdir -p "$cache"
    cp "$ROOT/tools/get_pip_standin.py" "$cache/get_pip_${pip_version//./_}.py"
}

run_sanity() {
    log "ansible-test sanity (ansible-core $ANSIBLE_CORE, Python $PYVER)"
    (cd "$COLLECTION" && "$VENV/bin/ansible-test" sanity --venv --python "$PYVER" --color no)
}

run_units() {
    log "ansible-test units (ansible-core $ANSIBLE_CORE, Python $PYVER)"
    (cd "$COLLECTION" && "$VENV/bin/ansible-test" units --venv --python "$PYVER" --color no)
    summarize_units
}

# One closing line for all unit tests, from ansible-test's JUnit reports.
summarize_units() {
    "$VENV/bin/python" - "$COLLECTION/tests/output/junit" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET
total = failed = skipped = 0
for path in glob.glob(os.path.join(sys.argv[1], '*-units.xml')):
    root = ET.parse(path).getroot()
    for suite in ([root] if root.tag == 'testsuite' else root.iter('testsuite')):
        total += int(suite.get('tests', 0))
        failed += int(suite.get('failures', 0)) + int(suite.get('errors', 0))
        skipped += int(suite.get('skipped', 0))
print('units: %d passed, %d failed, %d skipped' % (total - failed - skipped, failed, skipped))
sys.exit(1 if failed or not total else 0)
PY
}

run_integration() {
    log "ansible-test integration against the local Live API simulator (ansible-core $ANSIBLE_CORE, Python $PYVER)"
    local state
    state=$(mktemp "${TMPDIR:-/tmp}/live-simulator-state.XXXXXX")
    rm -f "$state"
    start_simulator "$state"
    trap 'stop_simulator' EXIT
    cat > "$COLLECTION/tests/integration/integration_config.yml" <<YAML
---
sim_endpoint: $(sim_endpoint)
sim_access_key: $SIM_ACCESS_KEY
sim_secret_key: $SIM_SECRET_KEY
sim_domain: $SIM_DOMAIN
YAML
    (cd "$COLLECTION" && "$VENV/bin/ansible-test" integration --venv --python "$PYVER" --color no)
    stop_simulator
    rm -f "$state"
}

run_doc() {
    log "ansible-doc renders every module"
    local module
    for module in "$COLLECTION"/plugins/modules/*.py; do
        module=$(basename "$module" .py)
        ANSIBLE_COLLECTIONS_PATH="$BUILD_ROOT" "$VENV/bin/ansible-doc" "volcengine.live.$module" > /dev/null
        ANSIBLE_COLLECTIONS_PATH="$BUILD_ROOT" "$VENV/bin/ansible-doc" --json "volcengine.live.$module" \
            | "$VENV/bin/python" -c 'import json, sys; d = json.load(sys.stdin); assert d, "empty doc"'
        echo "ok: volcengine.live.$module"
    done
}

setup_venv
install_system_tools
install_pip_standin
stage_collection
for step in "${STEPS[@]}"; do
    case "$step" in
        sanity) run_sanity ;;
        units) run_units ;;
        integration) run_integration ;;
        doc) run_doc ;;
        *) echo "unknown step: $step (use sanity, units, integration or doc)" >&2; exit 2 ;;
    esac
done
log "all steps passed: ${STEPS[*]}"
