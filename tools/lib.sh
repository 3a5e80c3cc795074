#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Shared by tools/test.sh and tools/demo.sh: choose an ansible-core series and a Python for it, set up a
# virtual environment with them, stage the collection where Ansible finds it, and start/stop the local Live
# API simulator. Source it after setting ROOT, then call use_series.

# The ansible-core series the collection is tested with, oldest first, and the controller Pythons each
# supports (ansible-core's own support matrix). CI_PYTHON is the Python each series is tested on in the
# whole suite: together they cover 3.11, 3.12 and 3.13.
SERIES=(2.16 2.17 2.18 2.19 2.20 2.21 2.22)
declare -A SERIES_PYTHONS=(
    [2.16]="3.10 3.11 3.12" [2.17]="3.10 3.11 3.12" [2.18]="3.11 3.12 3.13"
    [2.19]="3.11 3.12 3.13" [2.20]="3.12 3.13 3.14" [2.21]="3.12 3.13 3.14" [2.22]="3.13 3.14"
)
declare -A CI_PYTHON=([2.16]=3.11 [2.17]=3.11 [2.18]=3.11 [2.19]=3.11 [2.20]=3.12 [2.21]=3.13 [2.22]=3.13)

# find_python X.Y: the path of a Python X.Y interpreter (python3 if it is one, pythonX.Y on PATH, or
# pyenv's newest X.Y), or nothing.
find_python() {
    local want=$1 candidate pyenv_root latest
    for candidate in python3 "python$want"; do
        if command -v "$candidate" > /dev/null \
                && [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]; then
            command -v "$candidate"
            return
        fi
    done
    if command -v pyenv > /dev/null; then
        pyenv_root=$(pyenv root)
        latest=$(pyenv latest "$want" 2>/dev/null || true)
        if [ -n "$latest" ] && [ -x "$pyenv_root/versions/$latest/bin/python$want" ]; then
            echo "$pyenv_root/versions/$latest/bin/python$want"
        fi
    fi
}

python_version() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'
}

# Choose ANSIBLE_CORE and PYTHON that go together, from what is set and what this machine has:
# - both set: used as they are (refused when the series does not support that Python);
# - only ANSIBLE_CORE: the Python the whole suite tests that series on, else any Python it supports;
# - only PYTHON: the newest series that Python supports;
# - neither: the newest series that a Python found here supports, on that Python.
choose_series_and_python() {
    local series version path
    if [ -n "${PYTHON:-}" ]; then
        version=$(python_version "$PYTHON") || { echo "PYTHON=$PYTHON does not run" >&2; return 1; }
        if [ -z "${ANSIBLE_CORE:-}" ]; then
            for series in "${SERIES[@]}"; do
                [[ " ${SERIES_PYTHONS[$series]} " == *" $version "* ]] && ANSIBLE_CORE=$series
            done
        fi
    elif [ -n "${ANSIBLE_CORE:-}" ]; then
        [ -n "${SERIES_PYTHONS[$ANSIBLE_CORE]:-}" ] || {
            echo "ANSIBLE_CORE=$ANSIBLE_CORE is not a tested series (${SERIES[*]})" >&2; return 1; }
        for version in "${CI_PYTHON[$ANSIBLE_CORE]}" ${SERIES_PYTHONS[$ANSIBLE_CORE]}; do
            path=$(find_python "$version")
            [ -n "$path" ] && { PYTHON=$path; break; }
        done
    else
        for series in "${SERIES[@]}"; do
            for version in ${SERIES_PYTHONS[$series]}; do
                path=$(find_python "$version")
                [ -n "$path" ] && { ANSIBLE_CORE=$series; PYTHON=$path; }
            done
        done
    fi
    if [ -z "${ANSIBLE_CORE:-}" ] || [ -z "${PYTHON:-}" ]; then
        echo "no Python here supports a tested ansible-core series (${SERIES[*]}); set PYTHON to a Python 3.10-3.14" >&2
        return 1
    fi
    [ -n "${SERIES_PYTHONS[$ANSIBLE_CORE]:-}" ] || {
        echo "ANSIBLE_CORE=$ANSIBLE_CORE is not a tested series (${SERIES[*]})" >&2; return 1; }
    PYVER=$(python_version "$PYTHON")
    if [[ " ${SERIES_PYTHONS[$ANSIBLE_CORE]} " != *" $PYVER "* ]]; then
        echo "ansible-core $ANSIBLE_CORE does not support Python $PYVER ($PYTHON); it needs one of: ${SERIES_PYTHONS[$ANSIBLE_CORE]}" >&2
        return 1
    fi
}

# use_series [STAGE]: choose the series and Python, say which, and set the paths that depend on them. STAGE
# (default core) names the staged copy of the collection, which stage_collection wipes and writes again: the
# benchmarks and the demo stage their own, so they can run while tools/test.sh uses its copy.
use_series() {
    choose_series_and_python || exit 2
    printf '\n==> ansible-core %s on Python %s (%s)\n' "$ANSIBLE_CORE" "$PYVER" "$PYTHON"
    VENV="$ROOT/.venv/core-$ANSIBLE_CORE"
    BUILD_ROOT="$ROOT/.build/${1:-core}-$ANSIBLE_CORE"
    COLLECTION="$BUILD_ROOT/ansible_collections/volcengine/live"
}

SIM_ACCESS_KEY=AKLTsimulator
SIM_SECRET_KEY=simulator-secret-key
SIM_DOMAIN=pull.example.com
SIM_PID=
SIM_PORT=

log() { printf '\n==> %s\n' "$*"; }
# The machine's pip configuration names local indexes that may not hold a package; pip says so once per package.
quiet_pip() { grep -v "^WARNING: Location 'file://.*' is ignored" || true; }

setup_venv() {
    local next=${ANSIBLE_CORE#*.}
    local stamp="$VENV/.requirements"
    local want
    want="ansible-core>=$ANSIBLE_CORE,<${ANSIBLE_CORE%%.*}.$((next + 1)) $(sha1sum "$ROOT/tools/requirements-dev.txt" | cut -c1-12) python$PYVER"
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return
    fi
    log "virtual environment $VENV (ansible-core $ANSIBLE_CORE, Python $PYVER)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip 2>&1 | quiet_pip
    # A series with no final release yet (2.22 until 2.22.0 is out) takes its newest pre-release: pip takes
    # pre-releases only when the requirement names one.
    if ! "$VENV/bin/python" -m pip install --quiet "${want%% *}" -r "$ROOT/tools/requirements-dev.txt" > /dev/null 2>&1; then
        log "no final ansible-core $ANSIBLE_CORE on the package index: taking its newest pre-release"
        "$VENV/bin/python" -m pip install --quiet "ansible-core>=$ANSIBLE_CORE.0a0,<${ANSIBLE_CORE%%.*}.$((next + 1))" \
            -r "$ROOT/tools/requirements-dev.txt" 2>&1 | quiet_pip
    fi
    echo "$want" > "$stamp"
}

TOOLS_VENV="$ROOT/.venv/tools"
RELEASE_VENV="$ROOT/.venv/release"

# setup_requirements_venv DIR REQUIREMENTS LABEL: a virtual environment of its own for a requirements file, made
# again when the file changes.
setup_requirements_venv() {
    local dir=$1 requirements=$2 label=$3
    local stamp="$dir/.requirements"
    local want
    want=$(sha1sum "$requirements" | cut -c1-12)
    if [ -x "$dir/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return
    fi
    log "virtual environment $dir ($label)"
    rm -rf "$dir"
    "$PYTHON" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --upgrade pip 2>&1 | quiet_pip
    "$dir/bin/python" -m pip install --quiet -r "$requirements" 2>&1 | quiet_pip
    echo "$want" > "$stamp"
}

# The release and publishing tools.
setup_tools_venv() {
    setup_requirements_venv "$TOOLS_VENV" "$ROOT/tools/requirements-tools.txt" \
        "ansible-lint, antsibull-changelog, antsibull-docs, ruff"
}

# galaxy-importer and ansible-builder (galaxy-importer pins its own ansible-lint and ansible-builder ranges).
setup_release_venv() {
    setup_requirements_venv "$RELEASE_VENV" "$ROOT/tools/requirements-release.txt" "galaxy-importer, ansible-builder"
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
    # Atomically: another series may be running ansible-test, which reads it, side by side.
    local target="$cache/get_pip_${pip_version//./_}.py"
    if ! cmp -s "$ROOT/tools/get_pip_standin.py" "$target"; then
        cp "$ROOT/tools/get_pip_standin.py" "$target.$$"
        mv -f "$target.$$" "$target"
    fi
}

# Some ansible-test releases pin a sanity requirement to an archive on GitHub (2.22.0rc1: dill for pylint), which
# this machine cannot reach: only package registries are. The package index's release of the same package stands
# in (the sanity test runs the same; the pin only awaits a dill release for Python 3.15).
offline_test_requirements() {
    local file
    for file in "$VENV"/lib/python*/site-packages/ansible_test/_data/requirements/*.txt; do
        if grep -qE '^[A-Za-z0-9_.-]+ @ https?://' "$file"; then
            log "ansible-test $(basename "$file"): $(grep -oE '^[A-Za-z0-9_.-]+ @ ' "$file" | tr -d '@ ' | paste -sd, -) from the package index instead of a URL"
            sed -i -E 's/^([A-Za-z0-9_.-]+) @ https?:\/\/[^ ]*/\1/' "$file"
        fi
    done
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

# start_simulator STATE_FILE [extra simulator options...]: sets SIM_PID; sim_endpoint then says where it listens.
start_simulator() {
    local state=$1
    shift
    local ready
    ready=$(mktemp -u "${TMPDIR:-/tmp}/live-simulator-port.XXXXXX")
    PYTHONPATH="$ROOT/tools" "$VENV/bin/python" -m live_simulator --port 0 --state "$state" \
        --account "$SIM_ACCESS_KEY:$SIM_SECRET_KEY" --domain "$SIM_DOMAIN" --ready-file "$ready" "$@" > /dev/null &
    SIM_PID=$!
    local waited=0
    until [ -s "$ready" ]; do
        if ! kill -0 "$SIM_PID" 2>/dev/null || [ $waited -ge 100 ]; then
            echo "the Live API simulator did not start" >&2
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    SIM_PORT=$(cat "$ready")
    rm -f "$ready"
}

sim_endpoint() {
    echo "http://127.0.0.1:$SIM_PORT"
}

stop_simulator() {
    if [ -n "$SIM_PID" ]; then
        kill "$SIM_PID" 2>/dev/null || true
        wait "$SIM_PID" 2>/dev/null || true
        SIM_PID=
    fi
}

# render_integration_config OUT: tests/integration/integration_config.yml.template with every @NAME@ replaced by
# the environment variable NAME (as a YAML double-quoted string), written to OUT with mode 0600. Refuses an
# unset variable, naming it. VOLCENGINE_ENDPOINT, VOLCENGINE_REGION and LIVE_TEST_PREFIX have defaults.
render_integration_config() {
    (umask 077 && VOLCENGINE_ENDPOINT=${VOLCENGINE_ENDPOINT:-https://live.volcengineapi.com} \
        VOLCENGINE_REGION=${VOLCENGINE_REGION:-cn-north-1} LIVE_TEST_PREFIX=${LIVE_TEST_PREFIX:-ansible-it} \
        "$VENV/bin/python" - "$ROOT/tests/integration/integration_config.yml.template" "$1" <<'PY'
import json, os, re, sys

template, out = sys.argv[1], sys.argv[2]
with open(template, encoding='utf-8') as handle:
    text = handle.read()
missing = sorted({name for name in re.findall(r'"@([A-Z_]+)@"', text) if not os.environ.get(name)})
if missing:
    sys.exit('set %s (see docs/testing-real-service.md)' % ', '.join(missing))
# json.dumps writes a YAML double-quoted string, whatever the value holds.
text = re.sub(r'"@([A-Z_]+)@"', lambda match: json.dumps(os.environ[match.group(1)]), text)
with open(out, 'a', encoding='utf-8') as handle:
    handle.write(text.split('---\n', 1)[1])
PY
    )
}
