#!/usr/bin/env bash
# Support Console benchmarks at production scale, in one command:
#   tests/bench/run.sh [--tickets N] [--duration S] ...      (see --help)
# Builds the program and the bench tools in Release (own build dir), seeds an N-ticket database
# once and caches it, serves a copy of it, measures the API with wrk, runs the kill -9
# durability check and prints a Markdown table beside the targets.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SOURCE_DIR/build-bench}
TICKETS=1000000
DURATION=10
CONNECTIONS=50
WARMUP=3
KILL_AFTER=5
RESEED=0
RUN_DURABILITY=1
RUN_GUI=1
PIN=0

usage() {
    cat <<EOF
Usage: $0 [options]
  --tickets N        tickets in the benchmark database (default $TICKETS)
  --duration S       seconds per wrk measurement (default $DURATION)
  --connections N    concurrent connections for wrk and the durability check (default $CONNECTIONS)
  --warmup S         unreported wrk run before each GET measurement (default $WARMUP; 0 = none)
  --kill-after S     seconds of POST load before the durability kill -9 (default $KILL_AFTER)
  --reseed           rebuild the cached database even if it exists
  --no-durability    skip the kill -9 check
  --no-gui           skip the window (start-up, filters, memory, stalls under 1,000 POST/s)
  --pin              wrk on CPU 0, the server on CPU 1 (default: let the OS schedule both, since
                     the server runs one API thread per core, as it would on a machine of its own)
Environment: BUILD_DIR (default $SOURCE_DIR/build-bench).
EOF
}

is_number() { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ ]]; }

while [[ $# -gt 0 ]]; do
    case $1 in
    --tickets | --duration | --connections | --warmup | --kill-after)
        if [[ $# -lt 2 ]] || ! is_number "$2"; then
            echo "$1 needs a number" >&2
            exit 2
        fi
        case $1 in
        --tickets) TICKETS=$2 ;;
        --duration) DURATION=$2 ;;
        --connections) CONNECTIONS=$2 ;;
        --warmup) WARMUP=$2 ;;
        --kill-after) KILL_AFTER=$2 ;;
        esac
        shift 2
        ;;
    --reseed) RESEED=1; shift ;;
    --no-durability) RUN_DURABILITY=0; shift ;;
    --no-gui) RUN_GUI=0; shift ;;
    --pin) PIN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ ! $TICKETS =~ ^[0-9]+$ || $TICKETS -lt 1 ]]; then
    echo "--tickets needs a whole number >= 1" >&2
    exit 2
fi

for tool in cmake wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done

log() { echo "==> $*" >&2; }

# --- build -------------------------------------------------------------------------------------
# Others edit tests/*/CMakeLists.txt while this runs, so a failed configure or build is retried.
retry() {
    local attempt
    for attempt in 1 2 3 4 5; do
        "$@" && return 0
        if [[ $attempt -lt 5 ]]; then
            log "'$*' failed (attempt $attempt); retrying in 60 s"
            sleep 60
        fi
    done
    return 1
}

configure() {
    local generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    if [[ -f $BUILD_DIR/CMakeCache.txt ]]; then
        generator=() # the cache fixes the generator
    fi
    cmake -S "$SOURCE_DIR" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
}

if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
    log "Configuring $BUILD_DIR (Release)"
    retry configure
fi
log "Building support-console bench_seed bench_durability bench_gui"
# stdout carries only the report.
retry cmake --build "$BUILD_DIR" --target support-console bench_seed bench_durability bench_gui >&2

SERVER_BIN=$BUILD_DIR/src/app/support-console
SEED_BIN=$BUILD_DIR/tests/bench/bench_seed
DURABILITY_BIN=$BUILD_DIR/tests/bench/bench_durability
GUI_BIN=$BUILD_DIR/tests/bench/bench_gui

# The measurements describe a console in its steady state, every ticket classified (the
# backlog itself is measured by backlog.sh). The built-in rules are the provider everywhere, and
# the settings of whoever runs this do not count.
export XDG_CONFIG_HOME=$BUILD_DIR/bench-config
export SUPPORT_CONSOLE_AI_PROVIDERS=rules
unset SUPPORT_CONSOLE_AI_URL SUPPORT_CONSOLE_AI_KEY OPENAI_API_KEY

classify_backlog() { # classify_backlog DB: runs the server until the classification queue is empty
    local db=$1 out err pid port="" left=""
    out=$(mktemp) err=$(mktemp)
    log "Classifying the seeded tickets (built-in rules)"
    QT_LOGGING_RULES="supportconsole.api.requests=false" "$SERVER_BIN" --headless --database "$db" \
        --bind 127.0.0.1 --port 0 >"$out" 2>"$err" &
    pid=$!
    for _ in $(seq 1 1200); do
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$out")
        [[ -n $port ]] && break
        sleep 0.1
    done
    [[ -n $port ]] || { cat "$err" >&2; exit 1; }
    sleep 2 # the queue counts in /health refresh once a second
    while [[ $left != 0 ]]; do
        sleep 1
        left=$(curl -s "http://127.0.0.1:$port/health" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["classification"]["pending"])')
    done
    kill -TERM "$pid"
    wait "$pid" || true
    rm -f "$out" "$err"
}

# --- seed (cached) ------------------------------------------------------------------------------
DATA_DIR=$BUILD_DIR/bench-data
SEED_DB=$DATA_DIR/seed-$TICKETS.db
SEED_LOG=$DATA_DIR/seed-$TICKETS.log
mkdir -p "$DATA_DIR"
if [[ $RESEED -eq 1 || ! -f $SEED_DB || ! -f $SEED_LOG ]]; then
    log "Seeding $TICKETS tickets into $SEED_DB"
    rm -f "$SEED_DB" "$SEED_DB".tmp "$SEED_DB".tmp-wal "$SEED_DB".tmp-shm "$SEED_LOG"
    # Written under a temporary name so an interrupted seed is never mistaken for a cached one.
    "$SEED_BIN" --database "$SEED_DB.tmp" --tickets "$TICKETS" | tee "$SEED_LOG.tmp" >&2
    classify_backlog "$SEED_DB.tmp"
    mv "$SEED_LOG.tmp" "$SEED_LOG"
    mv "$SEED_DB.tmp" "$SEED_DB"
    SEED_NOTE="measured now"
else
    SEED_NOTE="cached; measured $(date -u -r "$SEED_LOG" '+%Y-%m-%d %H:%M UTC')"
    log "Using cached $SEED_DB ($SEED_NOTE)"
fi
SEED_LINE=$(grep '^SEED ' "$SEED_LOG")
seed_field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$SEED_LINE"; }

# --- results folder, server control -------------------------------------------------------------
RESULTS=$BUILD_DIR/bench-results/$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
RUN_DB=$DATA_DIR/run.db
# Measurements write to a copy: the cached seed stays pristine for the next run.
rm -f "$RUN_DB" "$RUN_DB-wal" "$RUN_DB-shm" "$RUN_DB.durability.log"
log "Copying the database for this run"
cp "$SEED_DB" "$RUN_DB"
# Flush the copy now: otherwise the first WAL checkpoint's fsync writes back all 1+ GB of it
# and shows up as a one-second stall in the POST latencies.
sync "$RUN_DB"

# --pin: the server gets one core, wrk the other, so neither measures the other's scheduling.
if [[ $PIN == 1 ]] && command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
    SERVER_PIN=(taskset -c 1)
    CLIENT_PIN=(taskset -c 0)
    PINNING="wrk on CPU 0, server on CPU 1"
else
    SERVER_PIN=()
    CLIENT_PIN=()
    PINNING="no CPU pinning (server and wrk share both cores)"
fi

SERVER_PID=""
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        # A clean stop takes milliseconds; after 30 s something is wrong, so force it.
        for _ in $(seq 1 300); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "run.sh: the server ignored SIGTERM for 30 s; killing it" >&2
            kill -KILL "$SERVER_PID"
        fi
    fi
    local status=0
    wait "$SERVER_PID" 2>/dev/null || status=$?
    [[ $status -eq 0 ]] || log "The server exited with status $status"
    SERVER_PID=""
}
trap stop_server EXIT

start_server() {
    # Request logging is off: this measures the API, not the terminal.
    QT_LOGGING_RULES="supportconsole.api.requests=false" "${SERVER_PIN[@]}" "$SERVER_BIN" \
        --headless --database "$RUN_DB" --bind 127.0.0.1 --port 0 \
        >"$RESULTS/server.out" 2>"$RESULTS/server.err" &
    SERVER_PID=$!
    local attempt
    PORT=""
    # Up to two minutes: opening a large database after an unclean stop replays its WAL.
    for attempt in $(seq 1 1200); do
        PORT=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
            "$RESULTS/server.out")
        [[ -n $PORT ]] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        [[ $attempt -lt 1200 ]] && sleep 0.1
    done
    if [[ -z $PORT ]]; then
        echo "run.sh: the server did not start; see $RESULTS/server.err" >&2
        cat "$RESULTS/server.err" >&2
        exit 1
    fi
    BASE_URL=http://127.0.0.1:$PORT
    log "Server pid $SERVER_PID listening on $BASE_URL"
}

# --- wrk ----------------------------------------------------------------------------------------
# wrk prints latencies as 812.00us, 1.23ms, 2.01s or 1.50m; the table uses milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}

# run_wrk NAME SECONDS PATH [SCRIPT [ARGS...]]: writes $RESULTS/NAME.txt
run_wrk() {
    local name=$1 seconds=$2 path=$3 script=${4:-}
    shift 3
    [[ $# -gt 0 ]] && shift
    local command=("${CLIENT_PIN[@]}" wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency
        --timeout 30s)
    [[ -n $script ]] && command+=(-s "$SCRIPT_DIR/$script")
    command+=("$BASE_URL$path")
    [[ $# -gt 0 ]] && command+=(-- "$@")
    "${command[@]}" >"$RESULTS/$name.txt"
}

# Sets RPS, P50, P99 and ERRORS from $RESULTS/NAME.txt.
parse_wrk() {
    local file=$RESULTS/$1.txt
    RPS=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$file")
    P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")
    P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")
    local non2xx socket
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
    socket=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$file")
    ERRORS=$(( ${non2xx:-0} + ${socket:-0} ))
}

thousands() { awk -v n="$1" 'BEGIN { s = sprintf("%d", n); r = "";
    while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
    print s r }'; }

# verdict ACTUAL OP TARGET -> "yes" / "**NO**"
verdict() { awk -v a="$1" -v op="$2" -v t="$3" 'BEGIN {
    ok = (op == ">=") ? (a >= t) : (a <= t); print (ok ? "yes" : "**NO**") }'; }

# Other work on the machine skews every number below, so the report says how busy it was.
# "busy total" clock ticks of all CPUs since boot: user+nice+system, and all states.
cpu_ticks() {
    awk '/^cpu / { print $2 + $3 + $4, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}

# Percent of all CPUs busy over 2 s; load averages lag and would include the seed.
busy_percent() {
    local before after
    before=$(cpu_ticks)
    sleep 2
    after=$(cpu_ticks)
    awk -v b="$before" -v a="$after" 'BEGIN { split(b, x, " "); split(a, y, " ");
        total = y[2] - x[2]; printf "%d", (total > 0 ? 100 * (y[1] - x[1]) / total : 0) }'
}
BUSY_BEFORE=$(busy_percent)
log "CPU busy before measuring: ${BUSY_BEFORE}%"
start_server
declare -A ROW
# Sets SNAPSHOT to "busy total server children" in clock ticks: user+system time of all CPUs,
# all CPU time, the server's CPU time and that of this shell's finished children (wrk). Called
# directly, never in $(...): `times` in a subshell would not see this shell's children.
cpu_snapshot() {
    times >"$RESULTS/.times"
    local children
    children=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; ++i) { split($i, p, /[ms]/);
        t += p[1] * 60 + p[2] } printf "%d", t * 100 }' "$RESULTS/.times")
    SNAPSHOT="$(cpu_ticks) $(awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat") $children"
}

# Other processes' share of all CPUs between two snapshots, in percent.
other_cpu_percent() {
    awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " "); total = y[2] - x[2];
        other = (y[1] - x[1]) - (y[3] - x[3]) - (y[4] - x[4]); if (other < 0) other = 0;
        printf "%d", (total > 0 ? 100 * other / total : 0) }'
}

measure() { # measure KEY LABEL PATH [SCRIPT [ARGS...]]
    local key=$1 label=$2 before after
    shift 2
    if [[ $WARMUP != 0 ]]; then
        log "$label: warm-up ${WARMUP}s"
        run_wrk "$key-warmup" "$WARMUP" "$@"
    fi
    log "$label: ${DURATION}s, $CONNECTIONS connections"
    cpu_snapshot
    before=$SNAPSHOT
    run_wrk "$key" "$DURATION" "$@"
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "run.sh: the server died during $label; see $RESULTS/server.err" >&2
        exit 1
    fi
    cpu_snapshot
    after=$SNAPSHOT
    parse_wrk "$key"
    OTHER=$(other_cpu_percent "$before" "$after")
    ROW[$key]="$RPS $P50 $P99 $ERRORS $OTHER"
    log "$label: $RPS req/s, p50 $P50 ms, p99 $P99 ms, errors $ERRORS, other CPU ${OTHER}%"
}

measure by_id "GET /requests/{id}" "/requests/1" get_by_id.lua "$TICKETS"
measure by_category "GET /requests?category=" "/requests" list_by_category.lua
measure stats "GET /stats?days=7" "/stats?days=7"
# No warm-up for POST: it would only add rows.
WARMUP_SAVED=$WARMUP
WARMUP=0
measure post "POST /requests" "/requests" post_requests.lua
WARMUP=$WARMUP_SAVED
stop_server

DURABILITY_STATUS="skipped"
if [[ $RUN_DURABILITY -eq 1 ]]; then
    log "Durability: $CONNECTIONS connections POSTing, kill -9 after ${KILL_AFTER}s, read back"
    set +e
    "$DURABILITY_BIN" --server "$SERVER_BIN" --database "$RUN_DB" --connections "$CONNECTIONS" \
        --kill-after "$KILL_AFTER" --log "$RESULTS/durability-server.log" \
        | tee "$RESULTS/durability.txt" >&2
    DURABILITY_RC=${PIPESTATUS[0]}
    set -e
    DURABILITY_LINE=$(grep '^DURABILITY ' "$RESULTS/durability.txt" || true)
    dfield() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$DURABILITY_LINE"; }
    if [[ -n $DURABILITY_LINE ]]; then
        D_ACK=$(dfield acknowledged)
        D_MISSING=$(dfield missing)
        D_CHANGED=$(dfield mismatched)
        D_UNREADABLE=$(dfield unreadable)
        D_SECONDS=$(dfield load_seconds)
        D_RATE=$(awk -v a="$D_ACK" -v s="$D_SECONDS" 'BEGIN { printf "%d", (s > 0 ? a / s : 0) }')
    fi
    [[ $DURABILITY_RC -eq 0 ]] && DURABILITY_STATUS="yes" || DURABILITY_STATUS="**NO**"
fi

# --- report -------------------------------------------------------------------------------------
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
MEMORY=$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
QT_VERSION=$(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null || echo unknown)
SQLITE_VERSION=$(dpkg-query -W -f='${Version}' libsqlite3-0 2>/dev/null || echo unknown)
# wrk has no version command: --version prints the banner and usage, then fails.
WRK_VERSION=$( (wrk --version 2>&1 || true) | awk 'NR == 1 { print $2 }')
COMMIT=$(git -C "$SOURCE_DIR" rev-parse --short HEAD 2>/dev/null || echo none)
if [[ -n $(git -C "$SOURCE_DIR" status --porcelain 2>/dev/null || true) ]]; then
    COMMIT="$COMMIT + uncommitted changes"
fi

# --- the window ----------------------------------------------------------------------------------
# The console's window on its offscreen platform, over a fresh copy: from process start to a
# populated table, fifteen filter changes, deep jumps and sorts, resident memory, then the
# event loop's longest stall while the API in the same process takes 1,000 POSTs a second.
if [[ $RUN_GUI -eq 1 ]]; then
    log "The window: start-up, filters, memory, stalls under 1,000 POST/s"
    rm -f "$RUN_DB" "$RUN_DB-wal" "$RUN_DB-shm"
    cp "$SEED_DB" "$RUN_DB"
    sync "$RUN_DB"
    QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="supportconsole.*=false;qt.qpa.*=false" \
        "$GUI_BIN" --database "$RUN_DB" --posts-per-second 1000 --load-seconds "$DURATION" \
        >"$RESULTS/gui.txt" 2>&1 || true
fi
gui_field() { sed -n "s/^GUI $1.* $2=\([^ ]*\).*/\1/p; s/^GUI $2=\([^ ]*\).*/\1/p" "$RESULTS/gui.txt" 2>/dev/null | head -1; }

row() { # row KEY LABEL TARGET_TEXT VERDICT
    local rps p50 p99 errors other
    read -r rps p50 p99 errors other <<<"${ROW[$1]}"
    echo "| $2 | $(thousands "$rps") req/s | $p50 ms | $p99 ms | $errors | ${other}% | $3 | $4 |"
}
read -r ID_RPS _ <<<"${ROW[by_id]}"
read -r _ STATS_P50 _ <<<"${ROW[stats]}"
read -r POST_RPS _ <<<"${ROW[post]}"
SEED_LABEL="Seed via TicketRepository ($(thousands "$(seed_field classified)") classified,"
SEED_LABEL+=" $(thousands "$(seed_field batch)") per transaction)"
SEED_RATE="$(thousands "$(seed_field storage_tickets_per_s)") tickets/s"
DURABILITY_LABEL="Durability: kill -9 under POST load, restart, read back"

{
    echo
    echo "## Support Console benchmarks: $(thousands "$TICKETS") tickets"
    echo
    echo "- Machine: nproc $(nproc), $CPU_MODEL, $MEMORY RAM; $(uname -sr);" \
        "CPU busy before measuring ${BUSY_BEFORE}% (other processes)"
    echo "- Software: Qt $QT_VERSION, SQLite $SQLITE_VERSION, wrk $WRK_VERSION;" \
        "commit $COMMIT; $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Load: wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency ($PINNING;" \
        "${WARMUP}s warm-up per GET); request log off"
    echo "- Raw output: $RESULTS"
    echo
    echo "| Benchmark | Throughput | p50 | p99 | Errors | Other CPU | Target | Met |"
    echo "|---|---|---|---|---|---|---|---|"
    echo "| $SEED_LABEL | $SEED_RATE | | | | | | $SEED_NOTE |"
    row by_id "GET /requests/{id} (random id)" "≥ 20,000 req/s" "$(verdict "$ID_RPS" ">=" 20000)"
    row by_category "GET /requests?category=… (first page)" "" ""
    row stats "GET /stats?days=7" "p50 ≤ 10 ms" "$(verdict "$STATS_P50" "<=" 10)"
    row post "POST /requests (unique bodies)" "≥ 5,000 req/s" "$(verdict "$POST_RPS" ">=" 5000)"
    if [[ $RUN_DURABILITY -eq 1 && -n ${D_ACK:-} ]]; then
        echo "| $DURABILITY_LABEL | $(thousands "$D_ACK") acknowledged, $D_MISSING missing" \
            "($(thousands "$D_RATE") POST/s, unpinned) | | | changed $D_CHANGED," \
            "unreadable $D_UNREADABLE | | 0 lost | $DURABILITY_STATUS |"
    elif [[ $RUN_DURABILITY -eq 1 ]]; then
        echo "| $DURABILITY_LABEL | did not run to the end, see $RESULTS/durability.txt" \
            "| | | | | 0 lost | $DURABILITY_STATUS |"
    fi
    if [[ $RUN_GUI -eq 1 ]]; then
        G_START=$(gui_field startup_ms startup_ms)
        G_FILTER=$(gui_field filters max_ms)
        G_MEDIAN=$(gui_field filters median_ms)
        G_PEAK=$(gui_field rss_after_load_mb peak_rss_mb)
        G_STALL=$(gui_field load_posts_per_s stall_max_ms)
        G_P99=$(gui_field load_posts_per_s stall_p99_ms)
        G_RATE=$(gui_field load_posts_per_s load_posts_per_s)
        if [[ -n $G_START && -n $G_STALL ]]; then
            echo "| Window: process start to populated table | $G_START ms | | | | | ≤ 1,500 ms |" \
                "$(verdict "$G_START" "<=" 1500) |"
            echo "| Window: filter change (15 filters incl. search) | max $G_FILTER ms," \
                "median $G_MEDIAN ms | | | | | ≤ 100 ms | $(verdict "$G_FILTER" "<=" 100) |"
            echo "| Window: resident memory, peak | $G_PEAK MB | | | | | ≤ 300 MB |" \
                "$(verdict "$G_PEAK" "<=" 300) |"
            echo "| Window: event-loop stall under $(thousands "$G_RATE") POST/s | max $G_STALL ms," \
                "p99 $G_P99 ms | | | | | ≤ 50 ms | $(verdict "$G_STALL" "<=" 50) |"
        else
            echo "| Window | did not run to the end, see $RESULTS/gui.txt | | | | | | **NO** |"
        fi
    fi
    echo
    echo "Latencies are wrk's with $CONNECTIONS requests always in flight and the server busy," \
        "so p50 is close to $CONNECTIONS ÷ throughput. Other CPU: share of all CPUs used by" \
        "processes other than the server and wrk during the measurement (noise)."
    echo
} | tee "$RESULTS/results.md"

# Performance targets are reported, not enforced; a lost ticket is a failure.
[[ $DURABILITY_STATUS != "**NO**" ]]
