#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Sets up a fresh machine and runs the whole test suite of the collection.
#
# Where each step runs, and why (the whole suite has to stay well within CI's 90 minutes on 2 cores):
#   - sanity and units on every tested series, 2.16 to 2.22, each on a Python it supports (2.16-2.19 on 3.11,
#     2.20 on 3.12, 2.21 and 2.22 on 3.13): they are what differs most between cores, and they are quick;
#   - integration, every target, on the oldest series (2.16, which AAP's execution environments ship) and the
#     newest (2.22): between them they cover both execution paths (2.16 runs module processes only, 2.22 the
#     in-process path) and both ways ansible-core masks secrets (in the module before 2.22, on the controller
#     from 2.22);
#   - on every other series, the integration target relay_source_paths: real playbooks on both execution paths,
#     their registered results and -vvvv output compared (only that target: ansible-test integration takes about
#     8 minutes a series for all of them);
#   - the release checks once, on the newest series with a final release (2.21): ruff (lint and format check),
#     an ansible-doc render check, ansible-lint (production profile) and antsibull-changelog lint, the
#     antsibull-docs site (Sphinx warnings are errors), ansible-galaxy collection build with an install of the
#     tarball into a fresh virtual environment, the execution environment of docs/awx.md (ansible-builder
#     create), galaxy-importer, and AWX-style jobs run by ansible-runner.
# The series run in two lanes side by side, one per core (LANES below), each with its own log in .build/logs;
# every step prints its time, and the suite ends with a table of every step and its time.
#
# Usage: bash tools/test.sh                        the whole suite
#        bash tools/test.sh STEP...                some steps on one series (by default the newest series
#                                 that a Python found here supports; the first line says which):
#                                 sanity units integration paths ruff doc lint docs-site build ee importer awx
#                                 (paths: the integration target relay_source_paths alone)
# Environment:
#   ANSIBLE_CORE  ansible-core series for the steps: 2.16 to 2.22
#   PYTHON        interpreter for the virtual environments (by default one that the series supports:
#                 python3, pythonX.Y on PATH, or pyenv's)
#   INTEGRATION_TARGETS  only these integration targets (space-separated), while developing
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# shellcheck source=tools/lib.sh
. "$ROOT/tools/lib.sh"

# The whole suite: two lanes, each a list of "series:step,step,..." run in order. Lanes hold series on different
# Pythons at any one time, so that two ansible-test runs never build the same virtual environment at once.
RELEASE_STEPS=ruff,doc,lint,docs-site,build,ee,importer,awx
# The lanes should take about as long as each other. In a fresh-clone run with 2.20 in lane 0, lane 0's steps
# added up to 3045 s and lane 1's to 2010 s; 2.20's steps took 407 s of it, so they run in lane 1.
LANES=(
    "2.16:sanity,units,integration 2.17:sanity,units,paths 2.18:sanity,units,paths 2.19:sanity,units,paths"
    "2.22:sanity,units,integration 2.20:sanity,units,paths 2.21:sanity,units,paths,$RELEASE_STEPS"
)

# run_lane N: the lane's series one after the other, each step's time appended to .build/logs/times-N.
run_lane() {
    local lane=$1 entry core steps
    for entry in ${LANES[$lane]}; do
        core=${entry%%:*}
        steps=${entry#*:}
        # shellcheck disable=SC2086
        env -u PYTHON ANSIBLE_CORE="$core" STEP_TIMES="$LOGS/times-$lane" bash "$0" ${steps//,/ } || return 1
    done
}

if [ $# -eq 0 ] && [ -z "${ANSIBLE_CORE:-}" ]; then
    started=$SECONDS
    LOGS="$ROOT/.build/logs"
    rm -rf "$LOGS"
    mkdir -p "$LOGS"
    # Every series and step is run somewhere: a new series or step left out of LANES fails here.
    for core in "${SERIES[@]}"; do
        [[ " ${LANES[*]} " == *" $core:"* ]] || { echo "tools/test.sh: series $core is in no lane" >&2; exit 2; }
    done
    # Virtual environments first, one at a time: pip on both lanes at once would only contend for the network.
    for core in "${SERIES[@]}"; do
        env -u PYTHON ANSIBLE_CORE="$core" STEP_TIMES="$LOGS/times-setup" bash "$0" setup > "$LOGS/setup-$core.log" 2>&1 || {
            cat "$LOGS/setup-$core.log"
            exit 1
        }
    done
    printf '\n==> virtual environments ready (%d s); the lanes run side by side, logs in %s\n' \
        $((SECONDS - started)) "$LOGS"
    pids=()
    for lane in "${!LANES[@]}"; do
        (run_lane "$lane" > "$LOGS/lane-$lane.log" 2>&1) &
        pids+=($!)
    done
    failed=()
    for lane in "${!pids[@]}"; do
        wait "${pids[$lane]}" || failed+=("$lane")
    done
    for lane in "${!LANES[@]}"; do
        printf '\n==> lane %d: %s\n' "$lane" "${LANES[$lane]}"
        grep -E '^==> (step|ansible-core|all steps)' "$LOGS/lane-$lane.log" || true
    done
    for lane in "${failed[@]}"; do
        printf '\n==> lane %d FAILED; the end of its log (%s):\n' "$lane" "$LOGS/lane-$lane.log" >&2
        tail -n 150 "$LOGS/lane-$lane.log" >&2
    done
    printf '\n==> every step and its time\n'
    printf '%-8s %-12s %8s  %s\n' series step seconds result
    cat "$LOGS"/times-* | sort -t ' ' -k1,1V -s
    total=$((SECONDS - started))
    printf '%-8s %-12s %8d  (wall clock, lanes side by side)\n' all total "$total"
    if [ ${#failed[@]} -gt 0 ]; then
        echo "the suite FAILED after $total s" >&2
        exit 1
    fi
    printf '\n==> the whole suite passed on ansible-core %s in %d s\n' "${SERIES[*]}" "$total"
    exit 0
fi

use_series core
STEPS=("$@")
[ ${#STEPS[@]} -gt 0 ] || STEPS=(sanity units integration ruff doc lint docs-site build ee importer awx)

# step_done STEP START RESULT: print the step's time, and record it for the closing table (STEP_TIMES).
step_done() {
    local step=$1 seconds=$((SECONDS - $2)) result=$3
    printf '\n==> step %s on ansible-core %s: %s in %d s\n' "$step" "$ANSIBLE_CORE" "$result" "$seconds"
    if [ -n "${STEP_TIMES:-}" ]; then
        printf '%-8s %-12s %8d  %s\n' "$ANSIBLE_CORE" "$step" "$seconds" "$result" >> "$STEP_TIMES"
    fi
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
    # relay_source_cloud, the real-service target, pointed at the simulator through the template a maintainer fills
    # for the real service: CI proves both work without ever calling the service (docs/testing-real-service.md).
    VOLCENGINE_ENDPOINT=$(sim_endpoint) VOLCENGINE_ACCESS_KEY=$SIM_ACCESS_KEY VOLCENGINE_SECRET_KEY=$SIM_SECRET_KEY \
        LIVE_TEST_DOMAIN=$SIM_DOMAIN LIVE_TEST_PREFIX=it-cloud \
        render_integration_config "$COLLECTION/tests/integration/integration_config.yml"
    # INTEGRATION_TARGETS (space-separated) narrows the run while developing; CI runs every target.
    # --allow-unsupported: relay_source_cloud (alias unsupported) runs too, against the simulator.
    local log="$BUILD_ROOT/integration.log"
    # shellcheck disable=SC2086
    (cd "$COLLECTION" && "$VENV/bin/ansible-test" integration --venv --python "$PYVER" --color no --allow-unsupported \
        ${1:-${INTEGRATION_TARGETS:-}}) 2>&1 | tee "$log"
    # No task may print a deprecation warning, on any series (the targets that keep their own logs check those).
    if grep '\[DEPRECATION WARNING\]' "$log" >&2; then
        echo "the integration output above has deprecation warnings" >&2
        return 1
    fi
    stop_simulator
    rm -f "$state"
}

# ruff: the lint rules and the format of pyproject.toml, on every Python file of the collection and its tools;
# and no sanity ignore entry anywhere (the same checks as .pre-commit-config.yaml).
run_ruff() {
    log "ruff check and ruff format --check; no sanity ignore entry"
    setup_tools_venv
    (cd "$COLLECTION" && "$TOOLS_VENV/bin/ruff" check --no-cache . && "$TOOLS_VENV/bin/ruff" format --no-cache --check .)
    bash "$ROOT/tools/check_sanity_ignores.sh"
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

# The collection tarball of the staged checkout, built once per run into .build/tarball-<series>.
build_tarball() {
    local out="$ROOT/.build/tarball-$ANSIBLE_CORE"
    if [ -z "${TARBALL:-}" ]; then
        rm -rf "$out"
        mkdir -p "$out"
        (cd "$COLLECTION" && "$VENV/bin/ansible-galaxy" collection build --output-path "$out" > /dev/null)
        TARBALL=$(ls "$out"/volcengine-live-*.tar.gz)
    fi
}

# example_reports EXAMPLE RUN EXPECTED [ansible-playbook arguments...]: run examples/EXAMPLE with the collection
# installed by run_build, against the simulator, and fail unless its output says EXPECTED.
example_reports() {
    local example=$1 run=$2 expected=$3
    shift 3
    local output
    output=$(cd "$out" && VOLCENGINE_ENDPOINT=$(sim_endpoint) VOLCENGINE_ACCESS_KEY="$SIM_ACCESS_KEY" \
        VOLCENGINE_SECRET_KEY="$SIM_SECRET_KEY" ANSIBLE_COLLECTIONS_PATH="$out/collections" \
        ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
        "$fresh/bin/ansible-playbook" "$ROOT/examples/$example" "$@") || {
        echo "$output" >&2
        echo "examples/$example ($run) failed" >&2
        return 1
    }
    echo "$output" | grep -q "$expected" || {
        echo "$output" >&2
        echo "examples/$example ($run) did not report: $expected" >&2
        return 1
    }
    echo "ok: examples/$example ($run): $expected"
}

# ansible-galaxy collection build, then install the tarball into a fresh virtual environment and run the
# example playbook with it against the simulator.
run_build() {
    log "ansible-galaxy collection build; install into a fresh virtual environment; run the example"
    local out="$ROOT/.build/dist"
    rm -rf "$out"
    mkdir -p "$out"
    build_tarball
    local tarball=$TARBALL
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
    example_reports relay_source.yml first 'created: task_id=' -e "domain=$SIM_DOMAIN"
    # The play-triggered relay example: two groups, then a rerun that changes nothing.
    example_reports play_relay_source.yml first 'changed 2, groups origin-main, origin-backup' -e "vhost=$SIM_DOMAIN"
    example_reports play_relay_source.yml rerun 'changed 0, groups origin-main, origin-backup' -e "vhost=$SIM_DOMAIN"
    # The event example: the setup, a rerun that changes nothing, and the cleanup, for one window (an hour ahead).
    local hour=$(($(date +%s) / 3600 * 3600))
    local event=(-e "domain=$SIM_DOMAIN" -e "event_start=$((hour + 3600))" -e "event_end=$((hour + 4 * 3600))")
    example_reports event.yml setup 'setup: relay sources changed 2, restream create, restreams not_started' \
        "${event[@]}"
    example_reports event.yml rerun 'setup: relay sources changed 0, restream unchanged, restreams not_started' \
        "${event[@]}"
    example_reports event.yml cleanup 'cleanup: relay sources changed 2, restream delete, group removed' \
        "${event[@]}" -e phase=cleanup
    # The GitOps example: a preview, the run, and a rerun that changes nothing.
    example_reports relay_sources.yml check 'preview: created 3, updated 0, deleted 0, unchanged 0' \
        -e "relay_source_domain=$SIM_DOMAIN" --check
    example_reports relay_sources.yml apply 'applied: created 3, updated 0, deleted 0, unchanged 0' \
        -e "relay_source_domain=$SIM_DOMAIN"
    example_reports relay_sources.yml rerun 'applied: created 0, updated 0, deleted 0, unchanged 3' \
        -e "relay_source_domain=$SIM_DOMAIN"
    stop_simulator
    echo "ok: $(basename "$tarball") installs and runs"
}

# ansible-builder create on docs/awx/execution-environment.yml (what docs/awx.md shows) with the tarball beside it,
# then what the image build would do with that context, without a container engine: install the collection from
# the context's requirements (the galaxy stage) and introspect its Python requirements (the builder stage).
run_ee() {
    log "ansible-builder create: the execution environment of docs/awx.md"
    setup_release_venv
    build_tarball
    local work="$ROOT/.build/ee"
    rm -rf "$work"
    mkdir -p "$work"
    cp "$ROOT/docs/awx/execution-environment.yml" "$TARBALL" "$work/"
    (cd "$work" && "$RELEASE_VENV/bin/ansible-builder" create -f execution-environment.yml -c context > /dev/null)
    local build="$work/context/_build"
    # The galaxy stage: COPY _build /build, WORKDIR /build, ansible-galaxy collection install -r requirements.yml
    (cd "$build" && ANSIBLE_GALAXY_DISABLE_GPG_VERIFY=1 ANSIBLE_COLLECTIONS_PATH="$work/usr-share-ansible/collections" "$VENV/bin/ansible-galaxy" collection install --offline \
        -r requirements.yml --collections-path "$work/usr-share-ansible/collections" > /dev/null) || {
        echo "the build context of docs/awx/execution-environment.yml does not install the collection" >&2
        return 1
    }
    [ -f "$work/usr-share-ansible/collections/ansible_collections/volcengine/live/MANIFEST.json" ] || {
        echo "the collection is not where the image would have it" >&2
        return 1
    }
    # The builder stage: introspect.py collects the installed collections' Python requirements.
    "$RELEASE_VENV/bin/python" "$build/scripts/introspect.py" introspect --write-pip "$work/requirements.txt" \
        "$work/usr-share-ansible/collections" > /dev/null
    grep -q '^requests' "$work/requirements.txt" || {
        echo "introspection did not find the collection's requirement requests:" >&2
        cat "$work/requirements.txt" >&2
        return 1
    }
    echo "ok: the context installs volcengine.live $(basename "$TARBALL") and its Python requirements: \
$(grep -v '^#' "$work/requirements.txt" | tr '\n' ' ')"
}

# galaxy-importer, as Galaxy and Automation Hub run it (ansible-doc, ansible-lint, changelog), on a throwaway copy
# of the tarball whose MANIFEST.json names a placeholder repository (docs/releasing.md: a release sets the real one).
run_importer() {
    log "galaxy-importer on the built tarball (placeholder repository address)"
    setup_release_venv
    build_tarball
    local work="$ROOT/.build/importer"
    rm -rf "$work"
    mkdir -p "$work/src"
    tar -xzf "$TARBALL" -C "$work/src"
    "$RELEASE_VENV/bin/python" - "$work/src/MANIFEST.json" <<'PY'
import json, sys
path = sys.argv[1]
with open(path, encoding='utf-8') as handle:
    manifest = json.load(handle)
info = manifest['collection_info']
info['repository'] = info['repository'] or 'https://example.invalid/volcengine/live'
with open(path, 'w', encoding='utf-8') as handle:
    json.dump(manifest, handle, indent=4)
PY
    (cd "$work/src" && tar -czf "$work/$(basename "$TARBALL")" .)
    (cd "$work" && PATH="$RELEASE_VENV/bin:$PATH" "$RELEASE_VENV/bin/python" -m galaxy_importer.main \
        "$(basename "$TARBALL")" > importer.log 2>&1) || {
        cat "$work/importer.log" >&2
        return 1
    }
    # Its "Loading <type> <name>" lines name content (module_utils _core.errors), not findings: skip them.
    if grep -v '^Loading ' "$work/importer.log" | grep -Ei 'warning|error'; then
        echo "galaxy-importer reported the lines above" >&2
        return 1
    fi
    tail -n 3 "$work/importer.log"
    echo "ok: galaxy-importer accepts $(basename "$TARBALL")"
}

# AWX's job engine: ansible-runner runs the job-template example from private data directories with the credential
# type's injected environment, against the simulator (tools/awx_job/run_jobs.py says what it checks).
run_awx() {
    log "AWX-style jobs through ansible-runner (credential type, check job, forks, verbosity 4, wrong secret)"
    if ! "$VENV/bin/python" -c 'import ansible_runner' 2> /dev/null; then
        "$VENV/bin/python" -m pip install --quiet ansible-runner 2>&1 | quiet_pip
    fi
    local work="$ROOT/.build/awx-jobs"
    rm -rf "$work"
    mkdir -p "$work"
    start_simulator "$work/sim-state.json"
    trap 'stop_simulator' EXIT
    PATH="$VENV/bin:$PATH" "$VENV/bin/python" "$ROOT/tools/awx_job/run_jobs.py" --endpoint "$(sim_endpoint)" \
        --access-key "$SIM_ACCESS_KEY" --secret-key "$SIM_SECRET_KEY" --domain "$SIM_DOMAIN" \
        --collections "$BUILD_ROOT" --work "$work"
    stop_simulator
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
offline_test_requirements
stage_collection
for step in "${STEPS[@]}"; do
    step_started=$SECONDS
    # errtrace hands the trap to subshells too: only the step's own shell records the failure.
    trap '[ "$BASH_SUBSHELL" -ne 0 ] || { trap - ERR; step_done "$step" "$step_started" FAILED; }' ERR
    case "$step" in
        setup) ;;
        sanity) run_sanity ;;
        units) run_units ;;
        integration) run_integration ;;
        paths) run_integration relay_source_paths ;;
        ruff) run_ruff ;;
        ee) run_ee ;;
        importer) run_importer ;;
        awx) run_awx ;;
        doc) run_doc ;;
        lint) run_lint ;;
        docs-site) run_docs_site ;;
        build) run_build ;;
        *) echo "unknown step: $step (use sanity, units, integration, paths, ruff, doc, lint, docs-site, build, ee, importer or awx)" >&2; exit 2 ;;
    esac
    trap - ERR
    # setup: the virtual environment and the staged collection, made before the first step (from the start).
    if [ "$step" = setup ]; then step_done setup 0 passed; else step_done "$step" "$step_started" passed; fi
done
log "all steps passed: ${STEPS[*]}"
