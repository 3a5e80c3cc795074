#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Sets up a fresh machine and runs the whole test suite of the collection:
#   ansible-test sanity, units and integration (against the local Live API simulator) on ansible-core
#   2.16 to 2.21, each series on a Python it supports (2.16-2.19 on 3.11, 2.20 on 3.12, 2.21 on 3.13);
#   then, once, on the newest series: ruff (lint and format check), an ansible-doc render check, ansible-lint
#   (production profile) and
#   antsibull-changelog lint, the antsibull-docs site (Sphinx warnings are errors), and ansible-galaxy
#   collection build with an install of the tarball into a fresh virtual environment.
#
# Usage: bash tools/test.sh                        the whole suite
#        bash tools/test.sh STEP...                some steps on one series (by default the newest series
#                                 that a Python found here supports; the first line says which):
#                                 sanity units integration ruff doc lint docs-site build
# Environment:
#   ANSIBLE_CORE  ansible-core series for the steps: 2.16 to 2.21
#   PYTHON        interpreter for the virtual environments (by default one that the series supports:
#                 python3, pythonX.Y on PATH, or pyenv's)
#   INTEGRATION_TARGETS  only these integration targets (space-separated), while developing
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# shellcheck source=tools/lib.sh
. "$ROOT/tools/lib.sh"

# With no steps and no ANSIBLE_CORE: the whole suite, sanity, units and integration on every tested
# ansible-core series, each on the Python CI_PYTHON names, then the release checks once on the newest.
if [ $# -eq 0 ] && [ -z "${ANSIBLE_CORE:-}" ]; then
    started=$SECONDS
    for core in "${SERIES[@]}"; do
        env -u PYTHON ANSIBLE_CORE="$core" bash "$0" sanity units integration
        printf '\n==> ansible-core %s passed (%d s so far)\n' "$core" $((SECONDS - started))
    done
    env -u PYTHON ANSIBLE_CORE="${SERIES[-1]}" bash "$0" ruff doc lint docs-site build
    printf '\n==> the whole suite passed on ansible-core %s in %d s\n' "${SERIES[*]}" $((SECONDS - started))
    exit 0
fi

use_series
STEPS=("$@")
[ ${#STEPS[@]} -gt 0 ] || STEPS=(sanity units integration ruff doc lint docs-site build)

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
    # INTEGRATION_TARGETS (space-separated) narrows the run while developing; CI runs every target.
    # shellcheck disable=SC2086
    (cd "$COLLECTION" && "$VENV/bin/ansible-test" integration --venv --python "$PYVER" --color no ${INTEGRATION_TARGETS:-})
    stop_simulator
    rm -f "$state"
}

# ruff: the lint rules and the format of pyproject.toml, on every Python file of the collection and its tools.
run_ruff() {
    log "ruff check and ruff format --check"
    setup_tools_venv
    (cd "$COLLECTION" && "$TOOLS_VENV/bin/ruff" check --no-cache . && "$TOOLS_VENV/bin/ruff" format --no-cache --check .)
    echo "ok: ruff"
}

run_lint() {
    log "ansible-lint (production profile) and antsibull-changelog lint"
    setup_tools_venv
    (cd "$COLLECTION" && PATH="$TOOLS_VENV/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$BUILD_ROOT" \
        "$TOOLS_VENV/bin/ansible-lint" --nocolor)
    (cd "$COLLECTION" && "$TOOLS_VENV/bin/antsibull-changelog" lint)
    echo "ok: lint"
}

# The docs site as antsibull-docs builds it; Sphinx turns every warning into an error.
run_docs_site() {
    log "docs site (antsibull-docs + Sphinx, warnings are errors)"
    setup_tools_venv
    local site="$ROOT/.build/docs-site"
    rm -rf "$site"
    mkdir -p "$site/rst"
    chmod og-w "$site/rst"
    cp "$ROOT/tools/docs/conf.py" "$ROOT/tools/docs/antsibull-docs.cfg" "$site/"
    "$TOOLS_VENV/bin/python" "$ROOT/tools/docs/make_inventory.py" "$site/ansible_devel.inv"
    PATH="$TOOLS_VENV/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$BUILD_ROOT" "$TOOLS_VENV/bin/antsibull-docs" \
        --config-file "$site/antsibull-docs.cfg" collection --cleanup everything --fail-on-error --use-current \
        --dest-dir "$site/rst" volcengine.live
    cp "$ROOT/tools/docs/index.rst" "$site/rst/index.rst"
    "$TOOLS_VENV/bin/sphinx-build" -M html "$site/rst" "$site/build" -c "$site" -W --keep-going -q
    echo "ok: docs site in $site/build/html"
}

# ansible-galaxy collection build, then install the tarball into a fresh virtual environment and run the
# example playbook with it against the simulator.
run_build() {
    log "ansible-galaxy collection build; install into a fresh virtual environment; run the example"
    local out="$ROOT/.build/dist"
    rm -rf "$out"
    mkdir -p "$out"
    (cd "$COLLECTION" && "$VENV/bin/ansible-galaxy" collection build --output-path "$out")
    local tarball
    tarball=$(ls "$out"/volcengine-live-*.tar.gz)
    local unwanted
    unwanted=$(tar -tzf "$tarball" | grep -E '^(tests|tools|\.ci|\.venv|\.build|changelogs/fragments)/' || true)
    if [ -n "$unwanted" ]; then
        echo "the tarball ships test or tooling files:" >&2
        echo "$unwanted" >&2
        return 1
    fi
    local fresh="$out/venv"
    "$PYTHON" -m venv "$fresh"
    "$fresh/bin/python" -m pip install --quiet "ansible-core>=$ANSIBLE_CORE,<${ANSIBLE_CORE%%.*}.$((${ANSIBLE_CORE#*.} + 1))" \
        -r "$COLLECTION/requirements.txt" 2>&1 | quiet_pip
    "$fresh/bin/ansible-galaxy" collection install --offline -p "$out/collections" "$tarball"
    start_simulator "$out/sim-state.json"
    trap 'stop_simulator' EXIT
    local output
    output=$(cd "$out" && VOLCENGINE_ENDPOINT=$(sim_endpoint) VOLCENGINE_ACCESS_KEY="$SIM_ACCESS_KEY" \
        VOLCENGINE_SECRET_KEY="$SIM_SECRET_KEY" ANSIBLE_COLLECTIONS_PATH="$out/collections" \
        ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
        "$fresh/bin/ansible-playbook" "$ROOT/examples/relay_source.yml" -e "domain=$SIM_DOMAIN")
    echo "$output" | tail -n 8
    echo "$output" | grep -q 'created: task_id=' || { echo "the installed collection did not create" >&2; return 1; }
    # The GitOps example: a preview, the run, and a rerun that changes nothing.
    local mode expected check
    for mode in check apply rerun; do
        check=()
        [ "$mode" = check ] && check=(--check)
        case $mode in
            check) expected='preview: created 3, updated 0, deleted 0, unchanged 0' ;;
            apply) expected='applied: created 3, updated 0, deleted 0, unchanged 0' ;;
            rerun) expected='applied: created 0, updated 0, deleted 0, unchanged 3' ;;
        esac
        output=$(cd "$out" && VOLCENGINE_ENDPOINT=$(sim_endpoint) VOLCENGINE_ACCESS_KEY="$SIM_ACCESS_KEY" \
            VOLCENGINE_SECRET_KEY="$SIM_SECRET_KEY" ANSIBLE_COLLECTIONS_PATH="$out/collections" \
            ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
            "$fresh/bin/ansible-playbook" "$ROOT/examples/relay_sources.yml" -e "relay_source_domain=$SIM_DOMAIN" \
            "${check[@]}")
        echo "$output" | grep -q "$expected" || {
            echo "$output" >&2
            echo "examples/relay_sources.yml ($mode) did not report: $expected" >&2
            return 1
        }
        echo "ok: examples/relay_sources.yml ($mode): $expected"
    done
    stop_simulator
    echo "ok: $(basename "$tarball") installs and runs"
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
        ruff) run_ruff ;;
        doc) run_doc ;;
        lint) run_lint ;;
        docs-site) run_docs_site ;;
        build) run_build ;;
        *) echo "unknown step: $step (use sanity, units, integration, ruff, doc, lint, docs-site or build)" >&2; exit 2 ;;
    esac
done
log "all steps passed: ${STEPS[*]}"
