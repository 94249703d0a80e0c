#!/usr/bin/env bash
# Local Neo4j for timeline: Neo4j Community Edition 5.26 LTS, embedded, Bolt only (see graph/README.md).
#
#   graph/neo4j.sh start     build the launcher if needed, start in the background, wait until a
#                            real Bolt query succeeds with $NEO4J_PASSWORD
#   graph/neo4j.sh stop      SIGTERM via the pid file, wait until the process is gone
#   graph/neo4j.sh status    running? answering? (exit 0 yes, 1 running but not answering, 3 stopped)
#   graph/neo4j.sh restart | build | logs
#
# Environment (all optional): NEO4J_HOME_DIR (<repo>/.neo4j), NEO4J_BOLT_HOST (127.0.0.1),
# NEO4J_BOLT_PORT (7687), NEO4J_PASSWORD (timeline-dev), NEO4J_HEAP (2g), NEO4J_HEAP_INITIAL,
# NEO4J_PAGECACHE (512m), NEO4J_TX_MEMORY_TOTAL, NEO4J_TX_MEMORY_MAX, NEO4J_CONF_FILE,
# NEO4J_JAVA_OPTS, NEO4J_START_TIMEOUT (180 s), NEO4J_STOP_TIMEOUT (120 s), JAVA, MVN, PYTHON.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
LAUNCHER_DIR="$SCRIPT_DIR/launcher"
TARGET="$LAUNCHER_DIR/target"
JAR="$TARGET/timeline-neo4j-launcher.jar"
BUILD_STAMP="$TARGET/.launcher-build-ok"
PROBE="$LAUNCHER_DIR/bolt_probe.py"
MAIN_CLASS="timeline.graph.launcher.Neo4jLauncher"

export NEO4J_HOME_DIR="${NEO4J_HOME_DIR:-$REPO_ROOT/.neo4j}"
export NEO4J_BOLT_HOST="${NEO4J_BOLT_HOST:-127.0.0.1}"
export NEO4J_BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
export NEO4J_PASSWORD="${NEO4J_PASSWORD:-timeline-dev}"
export NEO4J_PLUGINS_DIR="${NEO4J_PLUGINS_DIR:-$TARGET/plugins}"
NEO4J_HEAP="${NEO4J_HEAP:-2g}"
NEO4J_HEAP_INITIAL="${NEO4J_HEAP_INITIAL:-}"
NEO4J_START_TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
NEO4J_STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-120}"
if [[ -n "${JAVA:-}" ]]; then :; elif [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
MVN="${MVN:-mvn}"
PYTHON="${PYTHON:-python3}"

# NEO4J_HOME_DIR must be absolute: the launcher runs with a different working directory in mind.
case "$NEO4J_HOME_DIR" in /*) ;; *) NEO4J_HOME_DIR="$PWD/$NEO4J_HOME_DIR"; export NEO4J_HOME_DIR ;; esac
RUN_DIR="$NEO4J_HOME_DIR/run"
LOG_DIR="$NEO4J_HOME_DIR/logs"
PID_FILE="$RUN_DIR/neo4j.pid"
READY_FILE="$RUN_DIR/neo4j.ready"
LOG_FILE="$LOG_DIR/neo4j.log"
BOLT_URL="bolt://$NEO4J_BOLT_HOST:$NEO4J_BOLT_PORT"

say() { printf 'neo4j: %s\n' "$*"; }
die() { printf 'neo4j: ERROR: %s\n' "$*" >&2; exit 1; }

now_ms() { date +%s%3N; }
elapsed() { local ms=$(( $(now_ms) - $1 )); printf '%d.%01ds' $((ms / 1000)) $(((ms % 1000) / 100)); }

log_tail() {
    local n="${1:-40}"
    if [[ -s "$LOG_FILE" ]]; then
        printf -- '----- last %s lines of %s -----\n' "$n" "$LOG_FILE" >&2
        tail -n "$n" "$LOG_FILE" >&2
        printf -- '----- (more detail: %s/debug.log) -----\n' "$LOG_DIR" >&2
    fi
}

# pid of our running launcher for this NEO4J_HOME_DIR, or nothing (stale pid files are ignored).
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(tr -dc '0-9' < "$PID_FILE" 2>/dev/null || true)"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    is_launcher "$pid" || return 1
    echo "$pid"
}

is_launcher() {
    local cmd=""
    if [[ -r "/proc/$1/cmdline" ]]; then
        cmd="$(tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null || true)"
    else
        cmd="$(ps -p "$1" -o args= 2>/dev/null || true)"
    fi
    [[ "$cmd" == *"$MAIN_CLASS"* ]]
}

probe() { "$PYTHON" "$PROBE" --host "$NEO4J_BOLT_HOST" --port "$NEO4J_BOLT_PORT" "$@"; }

port_in_use() {
    local host="$NEO4J_BOLT_HOST"
    [[ "$host" == "0.0.0.0" || "$host" == "::" ]] && host=127.0.0.1
    "$PYTHON" - "$host" "$NEO4J_BOLT_PORT" <<'EOF'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
except OSError:
    sys.exit(1)
EOF
}

needs_build() {
    [[ -f "$JAR" && -f "$BUILD_STAMP" && -d "$TARGET/lib" && -d "$TARGET/plugins" ]] || return 0
    [[ -n "$(find "$LAUNCHER_DIR/pom.xml" "$LAUNCHER_DIR/src" -newer "$BUILD_STAMP" -print -quit)" ]]
}

build() {
    command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') not found; install maven (apt-get install maven)"
    local t0 build_log
    t0="$(now_ms)"
    mkdir -p "$TARGET"
    build_log="$TARGET/build.log"
    say "building the launcher (Maven; the first build downloads Neo4j from Maven Central) ..."
    # Fresh lib/ and plugins/: copy-dependencies never deletes, and two Neo4j versions on one
    # classpath would break in odd ways after a version bump.
    rm -rf "$TARGET/lib" "$TARGET/plugins" "$BUILD_STAMP"
    if ! "$MVN" -B -q -Dstyle.color=never -f "$LAUNCHER_DIR/pom.xml" package >"$build_log" 2>&1; then
        tail -n 60 "$build_log" >&2
        die "Maven build failed (full log: $build_log)"
    fi
    touch "$BUILD_STAMP"
    say "built in $(elapsed "$t0") ($(ls "$TARGET/lib" | wc -l) jars in $TARGET/lib)"
}

ensure_built() { if needs_build; then build; fi; }

check_java() {
    command -v "$JAVA" >/dev/null 2>&1 || die "java ('$JAVA') not found; Java 17+ is required"
    local v
    v="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
    [[ "${v%%.*}" =~ ^[0-9]+$ ]] && (( ${v%%.*} >= 17 )) || die "Java 17+ is required, '$JAVA' is version '${v:-unknown}'"
}

stop_pid() {  # SIGTERM, wait; exit status 0 when gone
    local pid="$1" deadline
    kill -TERM "$pid" 2>/dev/null || return 0
    deadline=$(( $(date +%s) + NEO4J_STOP_TIMEOUT ))
    while kill -0 "$pid" 2>/dev/null; do
        (( $(date +%s) < deadline )) || return 1
        sleep 0.2
    done
}

cmd_start() {
    local pid t0 deadline rc
    if pid="$(running_pid)"; then
        say "already running (pid $pid, $BOLT_URL, home $NEO4J_HOME_DIR)"
        return 0
    fi
    command -v "$PYTHON" >/dev/null 2>&1 || die "python3 ('$PYTHON') not found; it runs the readiness probe"
    check_java
    ensure_built
    if port_in_use; then
        die "port $NEO4J_BOLT_HOST:$NEO4J_BOLT_PORT is already in use by another process (set NEO4J_BOLT_PORT?)"
    fi
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    rm -f "$PID_FILE" "$READY_FILE"

    local -a jvm=(
        "-Xmx$NEO4J_HEAP"
        -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+ExitOnOutOfMemoryError
        -XX:+UnlockExperimentalVMOptions -XX:+TrustFinalNonStaticFields -XX:+DisableExplicitGC
        -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true
        -Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8
        --add-opens=java.base/java.nio=ALL-UNNAMED
        --add-opens=java.base/java.io=ALL-UNNAMED
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    )
    [[ -n "$NEO4J_HEAP_INITIAL" ]] && jvm+=("-Xms$NEO4J_HEAP_INITIAL")
    # shellcheck disable=SC2206  # word splitting of extra options is intended
    [[ -n "${NEO4J_JAVA_OPTS:-}" ]] && jvm+=(${NEO4J_JAVA_OPTS})

    t0="$(now_ms)"
    say "starting Neo4j (home $NEO4J_HOME_DIR, heap $NEO4J_HEAP, log $LOG_FILE) ..."
    printf '\n===== %s neo4j.sh start =====\n' "$(date '+%Y-%m-%d %H:%M:%S%z')" >>"$LOG_FILE"
    nohup "$JAVA" "${jvm[@]}" -cp "$JAR:$TARGET/lib/*" "$MAIN_CLASS" >>"$LOG_FILE" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"   # the launcher rewrites it with the same pid

    deadline=$(( $(date +%s) + NEO4J_START_TIMEOUT ))
    # 1) the launcher writes run/neo4j.ready once the DBMS is up and the password is set ...
    while [[ ! -f "$READY_FILE" ]]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null && rc=0 || rc=$?
            rm -f "$PID_FILE"
            log_tail 60
            die "Neo4j exited during startup (exit code $rc) after $(elapsed "$t0")"
        fi
        if (( $(date +%s) >= deadline )); then
            log_tail 60
            say "stopping the half-started process $pid" >&2
            stop_pid "$pid" || kill -KILL "$pid" 2>/dev/null || true
            rm -f "$PID_FILE" "$READY_FILE"
            die "Neo4j did not become ready within ${NEO4J_START_TIMEOUT}s (NEO4J_START_TIMEOUT)"
        fi
        sleep 0.25
    done
    # 2) ... and it is ready when a real Bolt query with the password succeeds.
    while :; do
        rc=0
        probe --quiet --timeout 5 || rc=$?
        (( rc == 0 )) && break
        if (( rc == 3 )); then
            probe --timeout 5 || true
            die "Neo4j is up (pid $pid) but refuses user neo4j with NEO4J_PASSWORD; see $LOG_FILE"
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE" "$READY_FILE"
            log_tail 60
            die "Neo4j exited during startup"
        fi
        if (( $(date +%s) >= deadline )); then
            probe --timeout 5 || true
            log_tail 60
            die "Neo4j did not answer a Bolt query within ${NEO4J_START_TIMEOUT}s; it is still running as pid $pid (graph/neo4j.sh stop)"
        fi
        sleep 0.5
    done
    say "ready on $BOLT_URL (user neo4j) after $(elapsed "$t0"), pid $pid"
}

cmd_stop() {
    local pid t0
    if ! pid="$(running_pid)"; then
        say "not running (home $NEO4J_HOME_DIR)"
        rm -f "$PID_FILE" "$READY_FILE"
        return 0
    fi
    t0="$(now_ms)"
    say "stopping pid $pid ..."
    if ! stop_pid "$pid"; then
        log_tail 30
        say "still running after ${NEO4J_STOP_TIMEOUT}s; sending SIGKILL (the next start recovers the store)" >&2
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$PID_FILE" "$READY_FILE"
        exit 1
    fi
    rm -f "$PID_FILE" "$READY_FILE"
    say "stopped after $(elapsed "$t0")"
}

cmd_status() {
    local pid rss="" info
    if ! pid="$(running_pid)"; then
        say "stopped (home $NEO4J_HOME_DIR)"
        return 3
    fi
    [[ -r "/proc/$pid/status" ]] && rss="$(awk '/^VmRSS/ {printf ", RSS %d MiB", $2/1024}' "/proc/$pid/status")"
    if info="$(probe --timeout 5 2>&1)"; then
        say "running (pid $pid$rss) on $BOLT_URL, home $NEO4J_HOME_DIR; ${info#bolt probe: }"
        return 0
    fi
    say "running (pid $pid$rss) but not answering on $BOLT_URL: ${info#bolt probe: }"
    return 1
}

# Serialise concurrent start/stop calls for the same home (e.g. parallel make targets).
with_lock() {
    mkdir -p "$RUN_DIR"
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$RUN_DIR/neo4j.sh.lock"
        flock -w "$(( NEO4J_START_TIMEOUT + NEO4J_STOP_TIMEOUT ))" 9 || die "timed out waiting for another neo4j.sh"
    fi
    "$@"
}

case "${1:-}" in
    start) with_lock cmd_start ;;
    stop) with_lock cmd_stop ;;
    status) cmd_status ;;
    restart) with_lock cmd_stop; cmd_start ;;
    build) build ;;
    logs) tail -n "${2:-100}" "$LOG_FILE" ;;
    *)
        echo "usage: $0 start|stop|status|restart|build|logs [N]" >&2
        exit 2
        ;;
esac
