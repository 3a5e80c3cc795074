#!/usr/bin/env bash
# Copyright: volcengine.live collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Shared by tools/test.sh and tools/demo.sh: set up a virtual environment with ansible-core,
# stage the collection where Ansible finds it, and start/stop the local Live API simulator.
# Source it after setting ROOT.

ANSIBLE_CORE=${ANSIBLE_CORE:-2.19}
PYTHON=${PYTHON:-python3}
VENV="$ROOT/.venv/core-$ANSIBLE_CORE"
BUILD_ROOT="$ROOT/.build/core-$ANSIBLE_CORE"
COLLECTION="$BUILD_ROOT/ansible_collections/volcengine/live"
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

TOOLS_VENV="$ROOT/.venv/tools"

# The release and publishing tools, in their own virtual environment.
setup_tools_venv() {
    local stamp="$TOOLS_VENV/.requirements"
    local want
    want=$(sha1sum "$ROOT/tools/requirements-tools.txt" | cut -c1-12)
    if [ -x "$TOOLS_VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return
    fi
    log "virtual environment $TOOLS_VENV (ansible-lint, antsibull-changelog, antsibull-docs)"
    "$PYTHON" -m venv "$TOOLS_VENV"
    "$TOOLS_VENV/bin/python" -m pip install --quiet --upgrade pip 2>&1 | quiet_pip
    "$TOOLS_VENV/bin/python" -m pip install --quiet -r "$ROOT/tools/requirements-tools.txt" 2>&1 | quiet_pip
    echo "$want" > "$stamp"
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
