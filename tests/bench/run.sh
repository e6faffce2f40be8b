#!/usr/bin/env bash
# Support Console benchmarks at production scale, in one command:
#   tests/bench/run.sh [--backend sqlite|postgresql|both] [--tickets N] [--duration S] ...
# Builds the program and the bench tools in Release (own build dir), seeds an N-ticket database
# once and caches it, serves a copy of it, measures the API with wrk, runs the kill -9
# durability check and prints a Markdown table beside the targets, one per backend. Every request
# carries a token made with `support-console tokens create`; the cost of checking it and of HTTPS
# (a second node on the same database with --tls-cert/--tls-key) get a section of their own. For
# PostgreSQL it starts a throwaway PostgreSQL server of its own on a Unix socket (the seeded
# cluster is cached like the SQLite file) and adds the cross-console live update, a backlog
# shared by two nodes and pgbench -S, the server's own ceiling on this machine.
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
BACKEND=both
BACKLOG_TICKETS=100000
AB_ROUNDS=3
ORIGINAL_ARGS=("$@")

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
  --backend B        sqlite, postgresql or both (default $BACKEND: one table each, same run)
  --backlog-tickets N  PostgreSQL: tickets in the backlog two nodes share (default $BACKLOG_TICKETS)
  --ab-rounds N      plain HTTP / HTTPS alternations of GET /requests/{id} (default $AB_ROUNDS)
Environment: BUILD_DIR (default $SOURCE_DIR/build-bench).
EOF
}

is_number() { [[ $1 =~ ^[0-9]+([.][0-9]+)?$ ]]; }

while [[ $# -gt 0 ]]; do
    case $1 in
    --tickets | --duration | --connections | --warmup | --kill-after | --backlog-tickets | \
        --ab-rounds)
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
        --backlog-tickets) BACKLOG_TICKETS=$2 ;;
        --ab-rounds) AB_ROUNDS=$2 ;;
        esac
        shift 2
        ;;
    --reseed) RESEED=1; shift ;;
    --no-durability) RUN_DURABILITY=0; shift ;;
    --no-gui) RUN_GUI=0; shift ;;
    --pin) PIN=1; shift ;;
    --backend)
        [[ $# -ge 2 && $2 =~ ^(sqlite|postgresql|both)$ ]] ||
            { echo "--backend needs sqlite, postgresql or both" >&2; exit 2; }
        BACKEND=$2
        shift 2
        ;;
    -h | --help) usage; exit 0 ;;
    *) echo "Unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ ! $TICKETS =~ ^[0-9]+$ || $TICKETS -lt 1 ]]; then
    echo "--tickets needs a whole number >= 1" >&2
    exit 2
fi
if [[ ! $AB_ROUNDS =~ ^[0-9]+$ || $AB_ROUNDS -lt 1 ]]; then
    echo "--ab-rounds needs a whole number >= 1" >&2
    exit 2
fi

for tool in cmake wrk curl python3 openssl; do
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
log "Building support-console bench_seed bench_durability bench_gui bench_live bench_auth"
# stdout carries only the report.
retry cmake --build "$BUILD_DIR" --target support-console bench_seed bench_durability bench_gui \
    bench_live bench_auth >&2

# Both backends: one run each, one after the other, so neither measures the other's load.
if [[ $BACKEND == both ]]; then
    status=0
    for backend in sqlite postgresql; do
        "$0" "${ORIGINAL_ARGS[@]}" --backend "$backend" || status=1
    done
    exit "$status"
fi

SERVER_BIN=$BUILD_DIR/src/app/support-console
SEED_BIN=$BUILD_DIR/tests/bench/bench_seed
DURABILITY_BIN=$BUILD_DIR/tests/bench/bench_durability
GUI_BIN=$BUILD_DIR/tests/bench/bench_gui
LIVE_BIN=$BUILD_DIR/tests/bench/bench_live
AUTH_BIN=$BUILD_DIR/tests/bench/bench_auth

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

# --- PostgreSQL: a throwaway server of our own ---------------------------------------------------
# The server refuses to run as root, so root runs it as the package's postgres user. It listens on
# a Unix socket in a fresh temporary folder only (no TCP) and trusts whoever reaches that socket.
as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
pg_bindir() {
    local dir
    for dir in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/15/bin; do
        [[ -n $dir && -x $dir/initdb ]] && { echo "$dir"; return 0; }
    done
    echo "run.sh: PostgreSQL's initdb was not found (install postgresql-15)" >&2
    return 1
}
PG_SOCKET=""
PG_RUNNING=0
pg_start() { # pg_start DATADIR
    PG_SOCKET=$(mktemp -d /tmp/sc-bench-pg.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_SOCKET"
    # A benchmark of a shared server: a 201 means durable (fsync, synchronous_commit on);
    # shared buffers hold the whole working set (at 1M tickets, 1.6 GB of rows and 0.6 GB of
    # indexes); checkpoints stay out of the measurements; pg_stat_statements shows where a
    # missed target's time went.
    as_postgres "$PG_BIN/pg_ctl" start -w -t 300 -D "$1" -l "$PG_SOCKET/server.log" -o \
        "-c listen_addresses='' -c unix_socket_directories=$PG_SOCKET \
         -c unix_socket_permissions=0700 -c max_connections=100 -c shared_buffers=4GB \
         -c effective_cache_size=8GB -c work_mem=16MB -c maintenance_work_mem=512MB \
         -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c wal_compression=on \
         -c max_wal_size=16GB -c checkpoint_timeout=30min -c random_page_cost=1.1 -c jit=off \
         -c shared_preload_libraries=pg_stat_statements" >&2
    PG_RUNNING=1
    PG_DATA_RUNNING=$1
}
pg_stop() {
    [[ $PG_RUNNING -eq 1 ]] || return 0
    as_postgres "$PG_BIN/pg_ctl" stop -w -t 300 -m fast -D "$PG_DATA_RUNNING" >&2 ||
        as_postgres "$PG_BIN/pg_ctl" stop -w -t 60 -m immediate -D "$PG_DATA_RUNNING" >&2 || true
    PG_RUNNING=0
    if [[ -n ${RESULTS:-} && -d ${RESULTS:-} ]]; then
        cp "$PG_SOCKET/server.log" "$RESULTS/postgres.log" 2>/dev/null || true
    fi
    rm -rf "$PG_SOCKET"
}
pg_uri() { echo "postgresql:///$1?host=$PG_SOCKET&user=postgres"; }
prewarm_run() { # reads every table and index of the run database into shared buffers
    pg_sql run "CREATE EXTENSION IF NOT EXISTS pg_prewarm" >&2
    pg_sql run "SELECT SUM(pg_prewarm(c.oid)) FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')" >/dev/null
}
pg_sql() { # pg_sql DATABASE SQL: prints the result unaligned, without headers
    psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -U postgres -d "$1" -c "$2"
}

# --- seed (cached) ------------------------------------------------------------------------------
DATA_DIR=$BUILD_DIR/bench-data
mkdir -p "$DATA_DIR"
if [[ $BACKEND == sqlite ]]; then
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
else
    PG_BIN=$(pg_bindir)
    PG_DATA=$DATA_DIR/postgresql-$TICKETS
    SEED_LOG=$DATA_DIR/postgresql-seed-$TICKETS.log
    # The database keeps the seeded tickets pristine as a template; each run measures a copy.
    if [[ $RESEED -eq 1 || ! -f $SEED_LOG || ! -f $PG_DATA/PG_VERSION ]]; then
        log "Creating a PostgreSQL cluster in $PG_DATA and seeding $TICKETS tickets"
        rm -rf "$PG_DATA" "$SEED_LOG" "$SEED_LOG.tmp"
        mkdir -m 0700 "$PG_DATA"
        [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DATA"
        as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >&2
        pg_start "$PG_DATA"
        trap pg_stop EXIT
        pg_sql postgres "CREATE DATABASE seed"
        "$SEED_BIN" --database "$(pg_uri seed)" --tickets "$TICKETS" | tee "$SEED_LOG.tmp" >&2
        classify_backlog "$(pg_uri seed)"
        pg_sql seed "VACUUM ANALYZE" >&2
        pg_sql postgres "CHECKPOINT"
        mv "$SEED_LOG.tmp" "$SEED_LOG"
        SEED_NOTE="measured now"
    else
        SEED_NOTE="cached; measured $(date -u -r "$SEED_LOG" '+%Y-%m-%d %H:%M UTC')"
        log "Using the cached cluster $PG_DATA ($SEED_NOTE)"
        pg_start "$PG_DATA"
        trap pg_stop EXIT
    fi
fi
# A seed cached by an older program gets this one's schema once, here, rather than on every
# copy; any command migrates, and `tokens list` changes nothing else.
if [[ $BACKEND == sqlite ]]; then
    "$SERVER_BIN" tokens list --database "$SEED_DB" >/dev/null
else
    "$SERVER_BIN" tokens list --database "$(pg_uri seed)" >/dev/null
fi
SEED_LINE=$(grep '^SEED ' "$SEED_LOG")
seed_field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$SEED_LINE"; }

# --- results folder, server control -------------------------------------------------------------
RESULTS=$BUILD_DIR/bench-results/$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
# Measurements write to a copy: the cached seed stays pristine for the next run.
log "Copying the database for this run"
if [[ $BACKEND == sqlite ]]; then
    RUN_DB=$DATA_DIR/run.db
    rm -f "$RUN_DB" "$RUN_DB-wal" "$RUN_DB-shm" "$RUN_DB.durability.log"
    cp "$SEED_DB" "$RUN_DB"
    # Flush the copy now: otherwise the first WAL checkpoint's fsync writes back all 1+ GB of it
    # and shows up as a one-second stall in the POST latencies.
    sync "$RUN_DB"
else
    pg_sql postgres "DROP DATABASE IF EXISTS run WITH (FORCE)"
    # FILE_COPY copies the files and checkpoints, rather than writing 1+ GB through the WAL.
    pg_sql postgres "CREATE DATABASE run TEMPLATE seed STRATEGY FILE_COPY"
    pg_sql run "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >&2
    # A team's server has been up for days with its working set in shared buffers; a copy just
    # made has none there, and each first read would come from disk. Every table and index of
    # the copy is read in once, as SQLite's copy comes out of the page cache.
    prewarm_run
    RUN_DB=$(pg_uri run)
fi
# The API takes requests only with a token; every wrk script reads it from BENCH_TOKEN. Made the
# way an administrator makes one, after the copy so that the cached seed holds none.
log "Creating an API token"
BENCH_TOKEN=$("$SERVER_BIN" tokens create "bench-$(date -u +%Y%m%d%H%M%S)" \
    --scopes tickets:read,tickets:write,stats:read --database "$RUN_DB" 2>"$RESULTS/token.err" |
    tail -n 1) || true
[[ $BENCH_TOKEN =~ ^sct_ ]] ||
    { echo "run.sh: could not create a token; see $RESULTS/token.err" >&2; exit 1; }
export BENCH_TOKEN

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
stop_node() { # stop_node PID
    local pid=$1
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        # A clean stop takes milliseconds; after 30 s something is wrong, so force it.
        for _ in $(seq 1 300); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "run.sh: the server ignored SIGTERM for 30 s; killing it" >&2
            kill -KILL "$pid"
        fi
    fi
    local status=0
    wait "$pid" 2>/dev/null || status=$?
    [[ $status -eq 0 ]] || log "The server exited with status $status"
}
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    stop_node "$SERVER_PID"
    SERVER_PID=""
}
EXTRA_PIDS=()
cleanup() {
    local pid
    for pid in "${EXTRA_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    stop_server
    pg_stop
}
trap cleanup EXIT

# start_node NAME [ARGS...]: a headless node on the run database, on an OS-chosen loopback port,
# with $RESULTS/NAME.out and .err; sets NODE_PID and NODE_URL (http or https).
start_node() {
    local name=$1
    shift
    # Made before the node starts: reading it must not race the shell that opens it for the node.
    : >"$RESULTS/$name.out"
    # Request logging is off: this measures the API, not the terminal.
    QT_LOGGING_RULES="supportconsole.api.requests=false" "${SERVER_PIN[@]}" "$SERVER_BIN" \
        --headless --database "$RUN_DB" --bind 127.0.0.1 --port 0 "$@" \
        >"$RESULTS/$name.out" 2>"$RESULTS/$name.err" &
    NODE_PID=$!
    local attempt port=""
    # Up to two minutes: opening a large database after an unclean stop replays its WAL.
    for attempt in $(seq 1 1200); do
        NODE_URL=$(sed -n 's|.*listening on \(https\{0,1\}://127\.0\.0\.1:[0-9]*\)/.*|\1|p' \
            "$RESULTS/$name.out")
        [[ -n $NODE_URL ]] && break
        kill -0 "$NODE_PID" 2>/dev/null || break
        [[ $attempt -lt 1200 ]] && sleep 0.1
    done
    if [[ -z $NODE_URL ]]; then
        echo "run.sh: the server did not start; see $RESULTS/$name.err" >&2
        cat "$RESULTS/$name.err" >&2
        exit 1
    fi
    log "Server pid $NODE_PID listening on $NODE_URL"
}

start_server() {
    start_node server
    SERVER_PID=$NODE_PID
    BASE_URL=$NODE_URL
    PORT=${BASE_URL##*:}
    MEASURED_PID=$SERVER_PID
}

# --- wrk ----------------------------------------------------------------------------------------
# wrk prints latencies as 812.00us, 1.23ms, 2.01s or 1.50m; the table uses milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}

# run_wrk NAME SECONDS PATH [SCRIPT [ARGS...]]: writes $RESULTS/NAME.txt; sends to $BASE_URL.
run_wrk() {
    local name=$1 seconds=$2 path=$3 script=${4:-}
    shift 3
    [[ $# -gt 0 ]] && shift
    local command=("${CLIENT_PIN[@]}" wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency
        --timeout 30s)
    # The scripts add the token themselves (from BENCH_TOKEN); a plain GET gets it here.
    if [[ -n $script ]]; then
        command+=(-s "$SCRIPT_DIR/$script")
    else
        command+=(-H "Authorization: Bearer $BENCH_TOKEN")
    fi
    command+=("$BASE_URL$path")
    [[ $# -gt 0 ]] && command+=(-- "$@")
    "${command[@]}" >"$RESULTS/$name.txt"
}

# Sets RPS, REQUESTS, P50, P99 and ERRORS from $RESULTS/NAME.txt.
parse_wrk() {
    local file=$RESULTS/$1.txt
    RPS=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$file")
    REQUESTS=$(awk '/ requests in / { print $1 }' "$file")
    P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$file")")
    P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")")
    local non2xx socket
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
    socket=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$file")
    ERRORS=$(( ${non2xx:-0} + ${socket:-0} ))
    # A refused token answers 401 much faster than a ticket: such a number means nothing.
    [[ $ERRORS -eq 0 ]] || log "WARNING: $1 had $ERRORS non-2xx responses or socket errors"
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
# Sets SNAPSHOT to "busy total server children node" in clock ticks: user+system time of all
# CPUs, all CPU time, the server's CPU time (on PostgreSQL with the database server's), that of
# this shell's finished children (wrk) and the measured node's own. The measured node is
# MEASURED_PID. Called directly, never in $(...): `times` in a subshell would not see this
# shell's children.
cpu_snapshot() {
    times >"$RESULTS/.times"
    local children
    children=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; ++i) { split($i, p, /[ms]/);
        t += p[1] * 60 + p[2] } printf "%d", t * 100 }' "$RESULTS/.times")
    # On PostgreSQL the database server's processes work for the node, so they count as its own.
    local pids=("$MEASURED_PID") postmaster
    if [[ $BACKEND == postgresql ]]; then
        postmaster=$(head -1 "$PG_DATA/postmaster.pid")
        mapfile -t -O 1 pids < <(echo "$postmaster"; pgrep -P "$postmaster" || true)
    fi
    local paths=()
    for pid in "${pids[@]}"; do
        [[ -r /proc/$pid/stat ]] && paths+=("/proc/$pid/stat")
    done
    # Per process ("pid:ticks,..."): a database backend that exits between two snapshots, such
    # as one of a node just stopped, must not take its whole past CPU time out of the server's.
    local server node
    server=$(cat "${paths[@]}" 2>/dev/null | awk '{ t = t (t == "" ? "" : ",") $1 ":" ($14 + $15) }
        END { print (t == "" ? "0:0" : t) }') || true # a process may end while it is read
    node=$(awk '{ print $14 + $15 }' "/proc/$MEASURED_PID/stat" 2>/dev/null || echo 0)
    SNAPSHOT="$(cpu_ticks) $server $children $node"
}
CLOCK_TICK=$(getconf CLK_TCK)

# Other processes' share of all CPUs between two snapshots, in percent. The server's time is
# summed over the processes alive at the second snapshot, from zero for those started since.
other_cpu_percent() {
    awk -v b="$1" -v a="$2" 'BEGIN { split(b, x, " "); split(a, y, " "); total = y[2] - x[2];
        n = split(x[3], before, ","); for (i = 1; i <= n; ++i) { split(before[i], p, ":");
            was[p[1]] = p[2] }
        n = split(y[3], after, ","); server = 0; for (i = 1; i <= n; ++i) {
            split(after[i], p, ":"); server += p[2] - (p[1] in was ? was[p[1]] : 0) }
        other = (y[1] - x[1]) - server - (y[4] - x[4]); if (other < 0) other = 0;
        printf "%d", (total > 0 ? 100 * other / total : 0) }'
}

# measure KEY LABEL PATH [SCRIPT [ARGS...]]: a warm-up, then a measured wrk run against
# $BASE_URL, served by MEASURED_PID. Sets ROW[KEY] to "req/s p50 p99 errors other%" and
# NODE_CPU_NS[KEY] to the node's own CPU time per request in nanoseconds.
declare -A NODE_CPU_NS
measure() {
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
    if ! kill -0 "$MEASURED_PID" 2>/dev/null; then
        echo "run.sh: the server died during $label; see $RESULTS/server.err" >&2
        exit 1
    fi
    cpu_snapshot
    after=$SNAPSHOT
    parse_wrk "$key"
    OTHER=$(other_cpu_percent "$before" "$after")
    ROW[$key]="$RPS $P50 $P99 $ERRORS $OTHER"
    NODE_CPU_NS[$key]=$(awk -v b="$before" -v a="$after" -v n="${REQUESTS:-0}" -v hz="$CLOCK_TICK" \
        'BEGIN { split(b, x, " "); split(a, y, " ");
                 printf "%d", (n > 0 ? (y[5] - x[5]) * 1e9 / hz / n : 0) }')
    log "$label: $RPS req/s, p50 $P50 ms, p99 $P99 ms, errors $ERRORS, other CPU ${OTHER}%"
}

if [[ $BACKEND == postgresql ]]; then
    pg_sql run "SELECT pg_stat_statements_reset()" >/dev/null
fi
measure by_id "GET /requests/{id}" "/requests/1" get_by_id.lua "$TICKETS"
measure by_category "GET /requests?category=" "/requests" list_by_category.lua
measure stats "GET /stats?days=7" "/stats?days=7"

# --- tokens and TLS (issue 11) ------------------------------------------------------------------
# HTTPS: a second node on the same database, started with --tls-cert/--tls-key and a certificate
# made now (P-256, as `openssl req` makes one; it stays in this run's results folder). The plain
# node and the HTTPS node take GET /requests/{id} in turn, AB_ROUNDS times each, so the VM's
# drift falls on both alike; the idle one's CPU counts as Other CPU. Keep-alive, as a client
# library keeps its connections. What a new connection costs is measured apart with
# `openssl s_time -new` (TCP and TLS handshakes one after another, no request): wrk cannot
# force one, and the server keeps a connection open even when a request says "Connection: close".
log "TLS: a certificate and a second node with --tls-cert/--tls-key"
TLS_DIR=$RESULTS/tls
mkdir -p "$TLS_DIR"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$TLS_DIR/key.pem" -out "$TLS_DIR/cert.pem" 2>"$TLS_DIR/openssl.err"
start_node tls-server --tls-cert "$TLS_DIR/cert.pem" --tls-key "$TLS_DIR/key.pem"
TLS_PID=$NODE_PID
TLS_URL=$NODE_URL
EXTRA_PIDS+=("$TLS_PID")
[[ $TLS_URL == https://* ]] || { echo "run.sh: the TLS node serves $TLS_URL" >&2; exit 1; }
# What a client negotiates with it, e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384".
TLS_SESSION=$(openssl s_client -connect "${TLS_URL#https://}" </dev/null 2>/dev/null |
    sed -n 's/^New, \([^,]*\), Cipher is \(.*\)/\1 \2/p' | head -1) || true
log "TLS: ${TLS_SESSION:-session details unknown}"
PLAIN_URL=$BASE_URL
ab_measure() { # ab_measure KEY LABEL URL PID
    BASE_URL=$3
    MEASURED_PID=$4
    measure "$1" "$2" "/requests/1" get_by_id.lua "$TICKETS"
}
for round in $(seq 1 "$AB_ROUNDS"); do
    ab_measure "ab_plain_$round" "GET /requests/{id} over HTTP ($round/$AB_ROUNDS)" \
        "$PLAIN_URL" "$SERVER_PID"
    ab_measure "ab_tls_$round" "GET /requests/{id} over HTTPS ($round/$AB_ROUNDS)" \
        "$TLS_URL" "$TLS_PID"
done
log "TLS: new connections one after another for ${DURATION}s (openssl s_time -new)"
MEASURED_PID=$TLS_PID
cpu_snapshot
before=$SNAPSHOT
openssl s_time -connect "${TLS_URL#https://}" -new -time "$DURATION" >"$RESULTS/s_time.txt" 2>&1 ||
    true
cpu_snapshot
HANDSHAKES=$(awk '/connections in .* real seconds/ { print $1 }' "$RESULTS/s_time.txt")
HANDSHAKE_SECONDS=$(awk '/connections in .* real seconds/ { print $4 }' "$RESULTS/s_time.txt")
HANDSHAKE_OTHER=$(other_cpu_percent "$before" "$SNAPSHOT")
# The node's own CPU time per new connection, in microseconds.
HANDSHAKE_CPU_US=$(awk -v b="$before" -v a="$SNAPSHOT" -v n="${HANDSHAKES:-0}" \
    -v hz="$CLOCK_TICK" 'BEGIN { split(b, x, " "); split(a, y, " ");
        printf "%.0f", (n > 0 ? (y[5] - x[5]) * 1e6 / hz / n : 0) }')
log "TLS: ${HANDSHAKES:-?} handshakes in ${HANDSHAKE_SECONDS:-?} s, ${HANDSHAKE_CPU_US} µs of" \
    "the node's CPU each"

# median_row PREFIX: ROW[PREFIX] from ROW[PREFIX_1..AB_ROUNDS]: the median of each of throughput,
# p50 and p99, every error, the largest Other CPU; NODE_CPU_NS[PREFIX] the median too.
median_of() { sort -g | awk '{ v[NR] = $1 } END {
    print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
median_row() {
    local prefix=$1 field round
    local -a columns=()
    for field in 1 2 3; do
        columns+=("$(for round in $(seq 1 "$AB_ROUNDS"); do
            awk -v f="$field" '{ print $f }' <<<"${ROW[${prefix}_$round]}"; done | median_of)")
    done
    local errors=0 other=0 e o
    for round in $(seq 1 "$AB_ROUNDS"); do
        read -r _ _ _ e o <<<"${ROW[${prefix}_$round]}"
        errors=$((errors + e))
        [[ $o -gt $other ]] && other=$o
    done
    ROW[$prefix]="$(printf '%.0f %.2f %.2f' "${columns[@]}") $errors $other"
    NODE_CPU_NS[$prefix]=$(for round in $(seq 1 "$AB_ROUNDS"); do
        echo "${NODE_CPU_NS[${prefix}_$round]}"; done | median_of)
}
median_row ab_plain
median_row ab_tls
AB_RATIOS=$(for round in $(seq 1 "$AB_ROUNDS"); do
    read -r plain _ <<<"${ROW[ab_plain_$round]}"
    read -r tls _ <<<"${ROW[ab_tls_$round]}"
    awk -v p="$plain" -v t="$tls" 'BEGIN { printf "%.2f\n", (p > 0 ? t / p : 0) }'
done | paste -sd ' ')
log "HTTPS / HTTP per round: $AB_RATIOS"

# The token check: bench_auth times ApiGuard's Host and token checks on the path nearly every
# request takes (the token in the verifier's memory) on a real request with wrk's headers, on 1
# and 2 threads at once, and apart the database lookup that runs at most once per 500 ms per
# API worker (TokenVerifier::kRecheckMs). Set against the node's own CPU time per
# GET /requests/{id} over plain HTTP, that is the share of its work the check is.
log "Token check: bench_auth on the run database, both nodes idle"
MEASURED_PID=$SERVER_PID
cpu_snapshot
before=$SNAPSHOT
"$AUTH_BIN" --database "$RUN_DB" >"$RESULTS/auth.txt" 2>&1 || true
cpu_snapshot
AUTH_OTHER=$(other_cpu_percent "$before" "$SNAPSHOT")
auth_field() { sed -n "s/^AUTH $1.* $2=\([^ ]*\).*/\1/p" "$RESULTS/auth.txt" | head -1; }
AUTH_1=$(auth_field threads=1 door_cpu_ns)
AUTH_2=$(auth_field threads=2 door_cpu_ns)
AUTH_LOOKUP=$(auth_field lookup lookup_cpu_ns)
read -r AB_PLAIN_RPS _ <<<"${ROW[ab_plain]}"
# One API worker per core, each looking the token up at most twice a second.
LOOKUPS_PER_S=$(( $(nproc) * 2 ))
AUTH_AMORTISED=$(awk -v l="${AUTH_LOOKUP:-0}" -v n="$LOOKUPS_PER_S" -v r="$AB_PLAIN_RPS" \
    'BEGIN { printf "%.1f", (r > 0 ? l * n / r : 0) }')
AUTH_SHARE=$(awk -v d="${AUTH_2:-0}" -v a="$AUTH_AMORTISED" -v c="${NODE_CPU_NS[ab_plain]}" \
    'BEGIN { printf "%.1f", (c > 0 ? 100 * (d + a) / c : 100) }')
log "Token check: ${AUTH_2:-?} ns per request on 2 threads (${AUTH_1:-?} on 1), lookups" \
    "${AUTH_LOOKUP:-?} ns each (${AUTH_AMORTISED} ns per request); the node spends" \
    "${NODE_CPU_NS[ab_plain]} ns of CPU per request: ${AUTH_SHARE}%"
stop_node "$TLS_PID"
EXTRA_PIDS=()
BASE_URL=$PLAIN_URL
MEASURED_PID=$SERVER_PID
# No warm-up for POST: it would only add rows.
WARMUP_SAVED=$WARMUP
WARMUP=0
measure post "POST /requests" "/requests" post_requests.lua
WARMUP=$WARMUP_SAVED

# --- PostgreSQL: cross-console live update --------------------------------------------------------
# A window in another process (bench_live, offscreen) on the same database while this node takes
# POSTs one at a time: from the node's 201 until the new row is in that window's table.
LIVE_LINE=""
if [[ $BACKEND == postgresql ]]; then
    # Where the time of the measurements went, for a missed target.
    pg_sql run "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms,
                       round(mean_exec_time::numeric, 3) AS mean_ms, left(query, 160)
                FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25" \
        >"$RESULTS/pg_stat_statements.txt" || true
    log "Live update: POST to this node, row shown in another process's window"
    sleep 3 # let the classifier finish the POSTed tickets, so the node is idle as in daily use
    QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="supportconsole.*=false;qt.qpa.*=false" \
        timeout 300 "$LIVE_BIN" --database "$RUN_DB" --port "$PORT" --posts 40 \
        >"$RESULTS/live.txt" 2>&1 || true
    LIVE_LINE=$(grep '^LIVE ' "$RESULTS/live.txt" || true)
    log "Live update: ${LIVE_LINE:-failed, see $RESULTS/live.txt}"
fi
stop_server

DURABILITY_STATUS="skipped"
if [[ $RUN_DURABILITY -eq 1 ]]; then
    log "Durability: $CONNECTIONS connections POSTing, kill -9 after ${KILL_AFTER}s, read back"
    set +e
    "$DURABILITY_BIN" --server "$SERVER_BIN" --database "$RUN_DB" --connections "$CONNECTIONS" \
        --kill-after "$KILL_AFTER" --log "$RESULTS/durability-server.log" --token "$BENCH_TOKEN" \
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

# --- PostgreSQL: a backlog shared by two nodes, and pgbench -S ---------------------------------
BACKLOG_LINE=""
PGBENCH_LINE=""
if [[ $BACKEND == postgresql ]]; then
    log "Backlog: $BACKLOG_TICKETS imported tickets waiting, two headless nodes classify them"
    pg_sql postgres "DROP DATABASE IF EXISTS backlog WITH (FORCE)"
    pg_sql postgres "CREATE DATABASE backlog"
    "$SEED_BIN" --database "$(pg_uri backlog)" --tickets "$BACKLOG_TICKETS" --unclassified \
        >"$RESULTS/backlog-seed.txt" 2>&1
    BACKLOG_PORTS=()
    BACKLOG_START=$(date +%s.%N)
    for node in 1 2; do
        QT_LOGGING_RULES="supportconsole.api.requests=false" "$SERVER_BIN" --headless \
            --database "$(pg_uri backlog)" --bind 127.0.0.1 --port 0 \
            >"$RESULTS/backlog-node$node.out" 2>"$RESULTS/backlog-node$node.err" &
        EXTRA_PIDS+=($!)
    done
    BACKLOG_LEFT=$BACKLOG_TICKETS
    for _ in $(seq 1 1200); do # at most five minutes
        sleep 0.25
        BACKLOG_LEFT=$(pg_sql backlog "SELECT COUNT(*) FROM classification_jobs" || echo "?")
        [[ $BACKLOG_LEFT == 0 ]] && break
    done
    BACKLOG_SECONDS=$(awk -v a="$BACKLOG_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    BACKLOG_SPLIT=""
    for node in 1 2; do
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
            "$RESULTS/backlog-node$node.out")
        [[ -n $port ]] || continue
        BACKLOG_PORTS+=("$port")
        n=$(curl -s "http://127.0.0.1:$port/health" | python3 -c \
            'import json,sys; print(json.load(sys.stdin)["classification"]["classified_since_start"])' \
            || echo "?")
        BACKLOG_SPLIT+="${BACKLOG_SPLIT:+ + }$n"
    done
    BACKLOG_DONE=$(pg_sql backlog "SELECT COUNT(DISTINCT ticket_id) FROM classifications")
    BACKLOG_DUPLICATES=$(pg_sql backlog \
        "SELECT COUNT(*) - COUNT(DISTINCT ticket_id) FROM classifications")
    for pid in "${EXTRA_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    EXTRA_PIDS=()
    BACKLOG_LINE="$BACKLOG_SECONDS $BACKLOG_LEFT $BACKLOG_DONE $BACKLOG_DUPLICATES ${BACKLOG_SPLIT:-?}"
    log "Backlog: ${BACKLOG_SECONDS}s, left $BACKLOG_LEFT, classified $BACKLOG_DONE" \
        "(per node $BACKLOG_SPLIT), duplicates $BACKLOG_DUPLICATES"

    log "pgbench -S: the server's own select-only ceiling on this machine"
    pg_sql postgres "DROP DATABASE IF EXISTS pgbench WITH (FORCE)"
    pg_sql postgres "CREATE DATABASE pgbench"
    pgbench -h "$PG_SOCKET" -U postgres -i -s 10 -q pgbench >"$RESULTS/pgbench-init.txt" 2>&1
    pgbench -h "$PG_SOCKET" -U postgres -S -n -c 8 -j 2 -T "$DURATION" pgbench \
        >"$RESULTS/pgbench.txt" 2>&1 || true
    PGBENCH_TPS=$(awk '/^tps = / { printf "%d", $3 }' "$RESULTS/pgbench.txt")
    PGBENCH_LATENCY=$(awk '/^latency average/ { print $4 }' "$RESULTS/pgbench.txt")
    PGBENCH_LINE="${PGBENCH_TPS:-?} ${PGBENCH_LATENCY:-?}"
    log "pgbench -S: $PGBENCH_TPS tps, latency average $PGBENCH_LATENCY ms"
    pg_sql postgres "DROP DATABASE IF EXISTS pgbench WITH (FORCE)"
    pg_sql postgres "DROP DATABASE IF EXISTS backlog WITH (FORCE)"
    PG_VERSION_TEXT=$(pg_sql postgres "SHOW server_version")
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
    if [[ $BACKEND == sqlite ]]; then
        rm -f "$RUN_DB" "$RUN_DB-wal" "$RUN_DB-shm"
        cp "$SEED_DB" "$RUN_DB"
        sync "$RUN_DB"
    else
        # A fresh copy as well: the one the API measurements used holds the durability check's
        # tickets, whose classification would run beside the window's queries.
        pg_sql postgres "DROP DATABASE IF EXISTS run WITH (FORCE)"
        pg_sql postgres "CREATE DATABASE run TEMPLATE seed STRATEGY FILE_COPY"
        prewarm_run
    fi
    QT_QPA_PLATFORM=offscreen QT_LOGGING_RULES="supportconsole.*=false;qt.qpa.*=false" \
        "$GUI_BIN" --database "$RUN_DB" --posts-per-second 1000 --load-seconds "$DURATION" \
        >"$RESULTS/gui.txt" 2>&1 || true
fi
gui_field() { sed -n "s/^GUI $1.* $2=\([^ ]*\).*/\1/p; s/^GUI $2=\([^ ]*\).*/\1/p" "$RESULTS/gui.txt" 2>/dev/null | head -1; }

row() { # row KEY LABEL TARGET_TEXT VERDICT
    local rps p50 p99 errors other verdict=$4
    read -r rps p50 p99 errors other <<<"${ROW[$1]}"
    # Refused or failed requests make a throughput meaningless, whatever it is.
    [[ -z $verdict || $errors -eq 0 ]] || verdict="**NO** ($errors errors)"
    echo "| $2 | $(thousands "$rps") req/s | $p50 ms | $p99 ms | $errors | ${other}% | $3 | $verdict |"
}
read -r ID_RPS _ <<<"${ROW[by_id]}"
read -r _ STATS_P50 _ <<<"${ROW[stats]}"
read -r POST_RPS _ <<<"${ROW[post]}"
if [[ $BACKEND == sqlite ]]; then
    BACKEND_TITLE="SQLite"
    ID_TARGET=20000
    POST_TARGET=5000
    SEED_LABEL="Seed via TicketRepository ($(thousands "$(seed_field classified)") classified,"
    SEED_LABEL+=" $(thousands "$(seed_field batch)") per transaction)"
    DATABASE_SOFTWARE="SQLite $SQLITE_VERSION"
else
    BACKEND_TITLE="PostgreSQL"
    ID_TARGET=8000
    POST_TARGET=2500
    SEED_LABEL="Seed with COPY, triggers firing ($(thousands "$(seed_field classified)")"
    SEED_LABEL+=" classified, $(thousands "$(seed_field batch)") per transaction)"
    DATABASE_SOFTWARE="PostgreSQL ${PG_VERSION_TEXT:-?} (own server beside it: Unix socket,"
    DATABASE_SOFTWARE+=" shared_buffers 4GB, fsync and synchronous_commit on)"
fi
SEED_RATE="$(thousands "$(seed_field storage_tickets_per_s)") tickets/s"
DURABILITY_LABEL="Durability: kill -9 under POST load, restart, read back"

{
    echo
    echo "## Support Console benchmarks, $BACKEND_TITLE: $(thousands "$TICKETS") tickets"
    echo
    echo "- Machine: nproc $(nproc), $CPU_MODEL, $MEMORY RAM; $(uname -sr);" \
        "CPU busy before measuring ${BUSY_BEFORE}% (other processes)"
    echo "- Software: Qt $QT_VERSION, $DATABASE_SOFTWARE, wrk $WRK_VERSION;" \
        "commit $COMMIT; $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Load: wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency ($PINNING;" \
        "${WARMUP}s warm-up per GET); request log off"
    echo "- Raw output: $RESULTS"
    echo
    echo "| Benchmark | Throughput | p50 | p99 | Errors | Other CPU | Target | Met |"
    echo "|---|---|---|---|---|---|---|---|"
    echo "| $SEED_LABEL | $SEED_RATE | | | | | | $SEED_NOTE |"
    row by_id "GET /requests/{id} (random id)" "≥ $(thousands "$ID_TARGET") req/s" \
        "$(verdict "$ID_RPS" ">=" "$ID_TARGET")"
    row by_category "GET /requests?category=… (first page)" "" ""
    row stats "GET /stats?days=7" "p50 ≤ 10 ms" "$(verdict "$STATS_P50" "<=" 10)"
    row post "POST /requests (unique bodies), classified live" \
        "≥ $(thousands "$POST_TARGET") req/s" "$(verdict "$POST_RPS" ">=" "$POST_TARGET")"
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
            G_SEARCH=$(grep -v '^GUI filter=search_cleared' "$RESULTS/gui.txt" |
                sed -n 's/^GUI filter=search_[a-z]* ms=\([^ ]*\).*/\1/p' |
                sort -n | tail -1)
            G_SEARCHES=$(grep -v '^GUI filter=search_cleared' "$RESULTS/gui.txt" |
                sed -n 's/^GUI filter=search_\([a-z]*\) ms=\([^ ]*\) rows=\([0-9]*\).*/"\1" \2 ms (\3 rows)/p' |
                paste -sd ',' | sed 's/,/, /g')
            G_COMMON=$(gui_field common_word_search_ms common_word_search_ms)
            echo "| Window: search, max of $G_SEARCHES | $G_SEARCH ms | | | | | ≤ 100 ms |" \
                "$(verdict "${G_SEARCH:-100000}" "<=" 100) |"
            echo "| Window: search for a very common word (\"please\"), first time |" \
                "$G_COMMON ms | | | | | (reported apart) | |"
            echo "| Window: resident memory, peak | $G_PEAK MB | | | | | ≤ 300 MB |" \
                "$(verdict "$G_PEAK" "<=" 300) |"
            echo "| Window: event-loop stall under $(thousands "$G_RATE") POST/s | max $G_STALL ms," \
                "p99 $G_P99 ms | | | | | ≤ 50 ms | $(verdict "$G_STALL" "<=" 50) |"
        else
            echo "| Window | did not run to the end, see $RESULTS/gui.txt | | | | | | **NO** |"
        fi
    fi
    if [[ $BACKEND == postgresql ]]; then
        if [[ -n $LIVE_LINE ]]; then
            live() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$LIVE_LINE"; }
            echo "| Live update: POST 201 on one node → row in another process's window" \
                "($(live shown) of $(live posts) tickets, one at a time) | p50 $(live p50_ms) ms," \
                "p95 $(live p95_ms) ms, max $(live max_ms) ms | | | $(live missed) missed | |" \
                "p95 ≤ 1,000 ms | $(verdict "$(live p95_ms)" "<=" 1000) |"
        else
            echo "| Live update | did not run to the end, see $RESULTS/live.txt | | | | |" \
                "p95 ≤ 1,000 ms | **NO** |"
        fi
        read -r B_SECONDS B_LEFT B_DONE B_DUPLICATES B_SPLIT <<<"$BACKLOG_LINE"
        B_OK=$(verdict "$B_SECONDS" "<=" 30)
        [[ $B_LEFT == 0 && $B_DUPLICATES == 0 ]] || B_OK="**NO**"
        echo "| Backlog of $(thousands "$BACKLOG_TICKETS") imported tickets, two headless nodes" \
            "(rules), from their start to an empty queue | ${B_SECONDS} s; $(thousands "$B_DONE")" \
            "classified (per node: $B_SPLIT), $B_DUPLICATES twice, $B_LEFT left | | | | |" \
            "< 30 s | $B_OK |"
        read -r PGB_TPS PGB_LATENCY <<<"$PGBENCH_LINE"
        echo "| pgbench -S -c 8 -j 2 -T $DURATION (scale 10, Unix socket): the database's own" \
            "ceiling | $(thousands "$PGB_TPS") tps | ${PGB_LATENCY} ms (mean) | | | | | |"
    fi
    echo
    echo "Latencies are wrk's with $CONNECTIONS requests always in flight and the server busy," \
        "so p50 is close to $CONNECTIONS ÷ throughput. Other CPU: share of all CPUs used by" \
        "processes other than the server (on PostgreSQL: the node and the database server) and wrk" \
        "during the measurement (noise)."
    echo
    # Issue 11: what the token check and HTTPS cost GET /requests/{id}.
    read -r AB_TLS_RPS _ _ AB_TLS_ERRORS _ <<<"${ROW[ab_tls]}"
    read -r _ _ _ AB_PLAIN_ERRORS _ <<<"${ROW[ab_plain]}"
    TLS_COST=$(awk -v p="$AB_PLAIN_RPS" -v t="$AB_TLS_RPS" \
        'BEGIN { printf "%.0f", (p > 0 ? 100 * (1 - t / p) : 100) }')
    # A server whose clients are elsewhere and whose CPU is the limit loses what its own CPU
    # per request grows by: the verdict takes the worse of the two.
    TLS_CPU_COST=$(awk -v p="${NODE_CPU_NS[ab_plain]}" -v t="${NODE_CPU_NS[ab_tls]}" \
        'BEGIN { printf "%.0f", (t > 0 ? 100 * (1 - p / t) : 100) }')
    TLS_WORSE=$(( TLS_CPU_COST > TLS_COST ? TLS_CPU_COST : TLS_COST ))
    TLS_MET=$(verdict "$TLS_WORSE" "<=" 40)
    [[ $AB_TLS_ERRORS -eq 0 && $AB_PLAIN_ERRORS -eq 0 ]] || TLS_MET="**NO** (errors)"
    AUTH_MET=$(verdict "$AUTH_SHARE" "<=" 10)
    [[ -n $AUTH_2 && -n $AUTH_LOOKUP ]] || AUTH_MET="**NO** (bench_auth failed, see $RESULTS/auth.txt)"
    us() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1000 }'; }
    echo "Tokens and TLS (issue 11): a second node on the same database serves HTTPS" \
        "(--tls-cert/--tls-key, P-256 certificate made for this run${TLS_SESSION:+, $TLS_SESSION});" \
        "the two take GET /requests/{id} in turn, $AB_ROUNDS runs each, medians shown" \
        "(HTTPS ÷ HTTP per run: $AB_RATIOS). wrk's own TLS work shares the two cores, so the" \
        "throughput here is not what a server with its clients elsewhere loses: that one loses" \
        "what its own CPU per request grows by, measured from /proc as" \
        "$(us "${NODE_CPU_NS[ab_plain]}") µs over HTTP and $(us "${NODE_CPU_NS[ab_tls]}") µs over" \
        "HTTPS, $TLS_CPU_COST% fewer requests per CPU second. The verdict takes the worse figure."
    echo
    echo "| Benchmark | Throughput | p50 | p99 | Errors | Other CPU | Target | Met |"
    echo "|---|---|---|---|---|---|---|---|"
    row ab_plain "GET /requests/{id} over HTTP, keep-alive (median of $AB_ROUNDS)" "" ""
    row ab_tls "GET /requests/{id} over HTTPS, keep-alive (median of $AB_ROUNDS)" \
        "≤ 40% below HTTP" "$TLS_MET ($TLS_COST% below; per CPU second $TLS_CPU_COST%)"
    echo "| New HTTPS connections one after another (openssl s_time -new: TCP and TLS handshake," \
        "no request) | $(awk -v n="${HANDSHAKES:-0}" -v s="${HANDSHAKE_SECONDS:-0}" \
        'BEGIN { printf "%d", (s > 0 ? n / s : 0) }') handshakes/s | | | | ${HANDSHAKE_OTHER}% |" \
        "(reported apart) | the node's CPU: ${HANDSHAKE_CPU_US} µs each, as much as" \
        "$(awk -v h="$HANDSHAKE_CPU_US" -v c="${NODE_CPU_NS[ab_tls]}" \
        'BEGIN { printf "%.0f", (c > 0 ? h * 1000 / c : 0) }') keep-alive HTTPS GETs |"
    echo "| Token check per request: Host and bearer token, found in memory (ApiGuard, 2 threads" \
        "at once; 1 thread: ${AUTH_1:-?} ns), plus the lookup every 500 ms per worker" \
        "(${AUTH_LOOKUP:-?} ns each) spread over $(thousands "$AB_PLAIN_RPS") req/s |" \
        "${AUTH_2:-?} ns + ${AUTH_AMORTISED} ns of CPU | | | | ${AUTH_OTHER}% |" \
        "≤ 10% of the node's CPU per GET /requests/{id} ($(us "${NODE_CPU_NS[ab_plain]}") µs) |" \
        "$AUTH_MET (${AUTH_SHARE}%) |"
    echo
} | tee "$RESULTS/results.md"

# Performance targets are reported, not enforced; a lost ticket is a failure.
[[ $DURABILITY_STATUS != "**NO**" ]]
