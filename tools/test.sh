#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Sets up a fresh machine and runs the whole test suite of the collection:
#   ansible-test sanity, ansible-test units and an ansible-doc render check.
#
# Usage: bash tools/test.sh [sanity|units|doc ...]     (default: all of them)
# Environment:
#   ANSIBLE_CORE  ansible-core series to test with: 2.16, 2.17, 2.18 or 2.19 (default 2.19)
#   PYTHON        interpreter for the virtual environment (default python3)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ANSIBLE_CORE=${ANSIBLE_CORE:-2.19}
PYTHON=${PYTHON:-python3}
PYVER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV="$ROOT/.venv/core-$ANSIBLE_CORE"
BUILD_ROOT="$ROOT/.build/core-$ANSIBLE_CORE"
COLLECTION="$BUILD_ROOT/ansible_collections/volcengine/live"
STEPS=("$@")
[ ${#STEPS[@]} -gt 0 ] || STEPS=(sanity units doc)

log() { printf '\n==> %s\n' "$*"; }
# The machine's pip configuration names local indexes that may not hold a package; pip says so once per package.
quiet_pip() { grep -v "^WARNING: Location 'file://.*' is ignored" || true; }

setup_venv() {
    local next=${ANSIBLE_CORE#*.}
    local stamp="$VENV/.requirements"
    local want
    want="ansible-core>=$ANSIBLE_CORE,<${ANSIBLE_CORE%%.*}.$((next + 1)) $(sha1sum "$ROOT/tools/requirements-dev.txt" | cut -c1-12)"
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return
    fi
    log "virtual environment $VENV (ansible-core $ANSIBLE_CORE)"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip 2>&1 | quiet_pip
    "$VENV/bin/python" -m pip install --quiet "${want%% *}" -r "$ROOT/tools/requirements-dev.txt" 2>&1 | quiet_pip
    echo "$want" > "$stamp"
}

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

# ansible-test wants the collection at .../ansible_collections/<namespace>/<name>:
# copy the files git knows of (tracked, or new and not ignored) as they are now.
stage_collection() {
    rm -rf "$BUILD_ROOT"
    mkdir -p "$COLLECTION"
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
        | tar --null -T - -cf -) | tar -xf - -C "$COLLECTION"
    # A repository of its own, so that ansible-test lists the staged files and
    # not those of the checkout it sits in.
    git -C "$COLLECTION" init --quiet
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
        doc) run_doc ;;
        *) echo "unknown step: $step (use sanity, units or doc)" >&2; exit 2 ;;
    esac
done
log "all steps passed: ${STEPS[*]}"
