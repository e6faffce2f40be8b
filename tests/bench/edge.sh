#!/usr/bin/env bash
# The HTTP edge (issue 12) at production scale, in one command:
#   tests/bench/edge.sh [--tickets N] [--duration S] [--rounds N] [--baseline COMMIT]
#                       [--sections throughput,log,crowd,bodies,params]
# On a copy of the SQLite benchmark database (run.sh's cached seed, made here if missing):
#  - throughput of GET /requests/{id} and POST /requests with wrk, this build against the
#    commit before the edge work (built here from git) and a bare QHttpServer, taking turns
#    round by round (who goes first alternates) so that the machine's drift falls on all alike;
#    the change is the median of each round's own change;
#  - the access log on against off, on this build, taking turns the same way;
#  - a normal client's GET latency while 2,000 idle and 50 slowloris connections, spread over
#    127.0.0.x, stay open (bench_edge hold + probe);
#  - resident memory while four 100 MB bodies arrive at once, by Content-Length and chunked;
#  - the server's CPU time for one request with 80,000 query parameters, at the default limits
#    and at the largest URL and head the settings allow (where the parameter cap answers).
# Prints a Markdown table beside the targets.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SOURCE_DIR/build-bench}
TICKETS=1000000
DURATION=10
ROUNDS=5
CONNECTIONS=50
BASELINE=461cbb9
SECTIONS=throughput,log,crowd,bodies,params

while [[ $# -gt 0 ]]; do
    case $1 in
    --tickets) TICKETS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --baseline) BASELINE=$2; shift 2 ;;
    --sections) SECTIONS=$2; shift 2 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "edge.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
for value in "$TICKETS" "$DURATION" "$ROUNDS" "$CONNECTIONS"; do
    [[ $value =~ ^[1-9][0-9]*$ ]] || { echo "edge.sh: $value is not a whole number >= 1" >&2; exit 2; }
done
for tool in cmake wrk curl python3 git; do
    command -v "$tool" >/dev/null || { echo "edge.sh: $tool is not installed" >&2; exit 1; }
done

log() { echo "[edge] $*" >&2; }

# --- builds: this tree and the baseline commit ---------------------------------------------------
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
    cmake -S "$SOURCE_DIR" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
log "Building this tree"
cmake --build "$BUILD_DIR" --target support-console bench_seed bench_edge bench_bareserver >&2
BASELINE_SHA=$(git -C "$SOURCE_DIR" rev-parse --short "$BASELINE^{commit}")
BASELINE_DIR=$BUILD_DIR/edge-baseline-$BASELINE_SHA
if [[ ! -x $BASELINE_DIR/build/src/app/support-console ]]; then
    log "Building the baseline $BASELINE_SHA in $BASELINE_DIR"
    rm -rf "$BASELINE_DIR"
    mkdir -p "$BASELINE_DIR/src"
    git -C "$SOURCE_DIR" archive "$BASELINE_SHA" | tar -x -C "$BASELINE_DIR/src"
    cmake -S "$BASELINE_DIR/src" -B "$BASELINE_DIR/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DSUPPORT_CONSOLE_BUILD_TESTS=OFF >/dev/null
    cmake --build "$BASELINE_DIR/build" --target support-console >&2
fi
SERVER_BIN=$BUILD_DIR/src/app/support-console
BASELINE_BIN=$BASELINE_DIR/build/src/app/support-console
EDGE_BIN=$BUILD_DIR/tests/bench/bench_edge
BARE_BIN=$BUILD_DIR/tests/bench/bench_bareserver

# --- nodes ----------------------------------------------------------------------------------------
RESULTS=$BUILD_DIR/bench-results/edge-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
# The settings of whoever runs this do not count; the rules classify, as on a fresh install.
export XDG_CONFIG_HOME=$RESULTS/config
export SUPPORT_CONSOLE_AI_PROVIDERS=rules
unset SUPPORT_CONSOLE_AI_URL SUPPORT_CONSOLE_AI_KEY OPENAI_API_KEY

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

# start_node NAME LOGGING COMMAND...: runs COMMAND with $RESULTS/NAME.out and .err, the request
# log on or off; sets NODE_PID and NODE_PORT once it prints where it listens.
start_node() {
    local name=$1 logging=$2
    shift 2
    : >"$RESULTS/$name.out"
    QT_LOGGING_RULES="supportconsole.api.requests=$logging" "$@" >"$RESULTS/$name.out" \
        2>"$RESULTS/$name.err" &
    NODE_PID=$!
    PIDS+=("$NODE_PID")
    NODE_PORT=""
    for _ in $(seq 1 1200); do
        NODE_PORT=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
            "$RESULTS/$name.out")
        [[ -n $NODE_PORT ]] && break
        kill -0 "$NODE_PID" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n $NODE_PORT ]] || { log "$name did not start:"; cat "$RESULTS/$name.err" >&2; exit 1; }
    log "$name: pid $NODE_PID, port $NODE_PORT"
}
stop_node() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    local pid kept=()
    for pid in "${PIDS[@]}"; do
        [[ $pid == "$1" ]] || kept+=("$pid")
    done
    PIDS=("${kept[@]}")
}
serve() { # serve NAME LOGGING BINARY [ARGS...]: a headless node on the run database
    local name=$1 logging=$2 binary=$3
    shift 3
    start_node "$name" "$logging" "$binary" --headless --database "$RUN_DB" --bind 127.0.0.1 \
        --port 0 "$@"
}
pending() { # pending PORT: tickets waiting for classification
    curl -s "http://127.0.0.1:$1/health" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["classification"]["pending"])'
}
wait_classified() { # wait_classified PORT: the queue counts refresh once a second
    sleep 2
    local left=""
    for _ in $(seq 1 600); do
        left=$(pending "$1" || echo "?")
        [[ $left == 0 ]] && return 0
        sleep 1
    done
    log "classification did not finish ($left left)"
}

# --- the database --------------------------------------------------------------------------------
DATA_DIR=$BUILD_DIR/bench-data
SEED_DB=$DATA_DIR/seed-$TICKETS.db
mkdir -p "$DATA_DIR"
if [[ ! -f $SEED_DB ]]; then
    log "Seeding $TICKETS tickets into $SEED_DB (run.sh uses the same cache)"
    rm -f "$SEED_DB.tmp"*
    "$BUILD_DIR/tests/bench/bench_seed" --database "$SEED_DB.tmp" --tickets "$TICKETS" \
        >"$DATA_DIR/seed-$TICKETS.log.tmp"
    RUN_DB=$SEED_DB.tmp
    serve seed false "$SERVER_BIN"
    wait_classified "$NODE_PORT"
    stop_node "$NODE_PID"
    mv "$DATA_DIR/seed-$TICKETS.log.tmp" "$DATA_DIR/seed-$TICKETS.log"
    mv "$SEED_DB.tmp" "$SEED_DB"
fi
RUN_DB=$DATA_DIR/edge.db
rm -f "$RUN_DB" "$RUN_DB-wal" "$RUN_DB-shm"
cp "$SEED_DB" "$RUN_DB"
sync "$RUN_DB"
BENCH_TOKEN=$("$SERVER_BIN" tokens create "edge-$(date -u +%Y%m%d%H%M%S)" \
    --scopes tickets:read,tickets:write --database "$RUN_DB" 2>"$RESULTS/token.err" | tail -n 1) ||
    true
[[ $BENCH_TOKEN =~ ^sct_ ]] || { log "could not create a token; see $RESULTS/token.err"; exit 1; }
export BENCH_TOKEN

# --- throughput: this build, the baseline, bare QHttpServer; the access log on and off ------------
to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}
declare -A RPS
run_wrk() { # run_wrk KEY PORT SECONDS SCRIPT [ARGS...]: appends the req/s to RPS[KEY]
    local key=$1 port=$2 seconds=$3 script=$4
    shift 4
    local file=$RESULTS/$key-$(date +%s%N).txt
    wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency --timeout 30s -s "$SCRIPT_DIR/$script" \
        "http://127.0.0.1:$port" -- "$@" >"$file"
    local rps errors
    rps=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$file")
    errors=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", "");
        n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$file")
    [[ $errors -eq 0 ]] || log "WARNING: $key had $errors errors; see $file"
    RPS[$key]="${RPS[$key]:-} $rps"
    log "$key: $rps req/s (p99 $(to_ms "$(awk '$1 == "99%" { print $2 }' "$file")") ms)"
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END {
    print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

wants() { [[ ,$SECTIONS, == *,$1,* ]]; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
# Anything that is not a number was not measured, and meets nothing.
verdict() {
    [[ $1 =~ ^[-+]?[0-9]+([.][0-9]+)?$ ]] || { echo "**NO** (not measured)"; return; }
    awk -v a="$1" -v op="$2" -v t="$3" 'BEGIN {
        ok = (op == ">=") ? (a >= t) : (a <= t); print (ok ? "yes" : "**NO**") }'
}
change() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%+.1f", 100 * (a - b) / b; else printf "?" }'; }
# paired_change KEY BASE_KEY: the median over rounds of each round's change, in percent; "?"
# when a round is missing or measured nothing.
paired_change() {
    local -a ours theirs changes=()
    read -r -a ours <<<"${RPS[$1]:-}"
    read -r -a theirs <<<"${RPS[$2]:-}"
    local i
    [[ ${#ours[@]} -gt 0 && ${#ours[@]} -eq ${#theirs[@]} ]] || { echo "?"; return; }
    for i in "${!ours[@]}"; do
        changes+=("$(change "${ours[$i]:-0}" "${theirs[$i]:-0}")")
    done
    [[ " ${changes[*]} " != *" ? "* ]] || { echo "?"; return; }
    median <<<"${changes[*]}" | awk '{ printf "%+.1f", $1 }'
}
rounds() { tr -s ' ' <<<"${RPS[$1]}" | sed 's/^ //'; }
ROWS=()
NOTES=()

if wants throughput || wants log; then
    serve head false "$SERVER_BIN"
    HEAD_PORT=$NODE_PORT
    serve head-log true "$SERVER_BIN"
    HEADLOG_PORT=$NODE_PORT
    serve baseline false "$BASELINE_BIN"
    BASE_PORT=$NODE_PORT
    start_node bare false "$BARE_BIN"
    BARE_PORT=$NODE_PORT
    log "Warm-up: GET /requests/{id} on every node"
    for port in "$HEAD_PORT" "$HEADLOG_PORT" "$BASE_PORT" "$BARE_PORT"; do
        run_wrk warmup "$port" 3 get_by_id.lua "$TICKETS"
    done
fi
# get_pair ROUND KEY PORT OTHER_KEY OTHER_PORT: GET /requests/{id} on both, the first one first
# in odd rounds, so neither always meets the machine right after the other's load.
get_pair() {
    local -a first=("$2" "$3") second=("$4" "$5")
    ((${1} % 2)) || { first=("$4" "$5"); second=("$2" "$3"); }
    run_wrk "${first[0]}" "${first[1]}" "$DURATION" get_by_id.lua "$TICKETS"
    run_wrk "${second[0]}" "${second[1]}" "$DURATION" get_by_id.lua "$TICKETS"
}
if wants throughput; then
    log "GET /requests/{id}: $ROUNDS rounds of this build, the baseline, bare QHttpServer"
    for round in $(seq 1 "$ROUNDS"); do
        get_pair "$round" get_head "$HEAD_PORT" get_baseline "$BASE_PORT"
        run_wrk get_bare "$BARE_PORT" "$DURATION" get_by_id.lua "$TICKETS"
    done
fi
if wants log; then
    log "Access log: $ROUNDS rounds of GET /requests/{id} with it on, then off"
    for round in $(seq 1 "$ROUNDS"); do
        get_pair "$round" log_on "$HEADLOG_PORT" log_off "$HEAD_PORT"
    done
fi
if wants throughput; then
    log "POST /requests: $ROUNDS rounds, each after the last one's tickets are classified"
    for round in $(seq 1 "$ROUNDS"); do
        if ((round % 2)); then
            order=("$HEAD_PORT post_head" "$BASE_PORT post_baseline")
        else
            order=("$BASE_PORT post_baseline" "$HEAD_PORT post_head")
        fi
        for entry in "${order[@]}"; do
            read -r port key <<<"$entry"
            run_wrk "$key" "$port" "$DURATION" post_requests.lua
            wait_classified "$port"
        done
        run_wrk post_bare "$BARE_PORT" "$DURATION" post_requests.lua
    done
fi
cleanup
PIDS=()
for key in get_head get_baseline get_bare log_on log_off post_head post_baseline post_bare; do
    declare "MEDIAN_${key^^}=$(median <<<"${RPS[$key]:-}" | awk '{ printf "%.0f", $1 }')"
done
if wants throughput; then
    GET_CHANGE=$(paired_change get_head get_baseline)
    POST_CHANGE=$(paired_change post_head post_baseline)
    ROWS+=("| GET /requests/{id} req/s: this build / baseline / bare QHttpServer | $MEDIAN_GET_HEAD / $MEDIAN_GET_BASELINE / $MEDIAN_GET_BARE ($GET_CHANGE%) | ≥ -10% | $(verdict "$GET_CHANGE" ">=" -10) |")
    ROWS+=("| POST /requests req/s: this build / baseline / bare QHttpServer | $MEDIAN_POST_HEAD / $MEDIAN_POST_BASELINE / $MEDIAN_POST_BARE ($POST_CHANGE%) | ≥ -10% | $(verdict "$POST_CHANGE" ">=" -10) |")
    NOTES+=("Each round (req/s): GET $(rounds get_head) / $(rounds get_baseline) / $(rounds get_bare); POST $(rounds post_head) / $(rounds post_baseline) / $(rounds post_bare).")
fi
if wants log; then
    LOG_CHANGE=$(paired_change log_on log_off)
    ROWS+=("| Access log on / off, GET /requests/{id} req/s | $MEDIAN_LOG_ON / $MEDIAN_LOG_OFF ($LOG_CHANGE%) | ≥ -5% | $(verdict "$LOG_CHANGE" ">=" -5) |")
    NOTES+=("Access log each round (req/s): on $(rounds log_on), off $(rounds log_off).")
fi

# --- hostile clients (the access log on, as by default) -------------------------------------------
edge() { "$EDGE_BIN" "$@" --port "$NODE_PORT" --token "$BENCH_TOKEN" 2>>"$RESULTS/edge.err"; }

if wants crowd; then
    log "Latency of a normal client, alone and then beside 2,000 idle and 50 slowloris connections"
    serve crowd true "$SERVER_BIN"
    CROWD_PID=$NODE_PID
    PROBE_ALONE=$(edge probe --seconds "$DURATION" --tickets "$TICKETS")
    log "alone: $(tr '\n' ' ' <<<"$PROBE_ALONE")"
    edge hold --idle 2000 --slowloris 50 --seconds $((2 * DURATION + 30)) >"$RESULTS/hold.txt" &
    HOLD_PID=$!
    PIDS+=("$HOLD_PID")
    for _ in $(seq 1 300); do
        grep -q '^HOLDING' "$RESULTS/hold.txt" && break
        kill -0 "$HOLD_PID" 2>/dev/null || break
        sleep 0.1
    done
    grep -q '^HOLDING' "$RESULTS/hold.txt" || { log "the crowd never got in"; exit 1; }
    CPU_BEFORE=$(awk '{ print $14 + $15 }' "/proc/$CROWD_PID/stat")
    PROBE_CROWD=$(edge probe --seconds "$DURATION" --tickets "$TICKETS")
    CPU_AFTER=$(awk '{ print $14 + $15 }' "/proc/$CROWD_PID/stat")
    log "beside the crowd: $(tr '\n' ' ' <<<"$PROBE_CROWD")"
    wait "$HOLD_PID" || true
    stop_node "$HOLD_PID"
    HOLD_LINE=$(grep '^EDGE mode=hold' "$RESULTS/hold.txt" || true)
    log "crowd: $HOLD_LINE"
    # The node's CPU while it served the crowd and the probe: busy, not spinning.
    CROWD_CPU=$(awk -v b="$CPU_BEFORE" -v a="$CPU_AFTER" -v hz="$(getconf CLK_TCK)" \
        -v s="$((2 * DURATION))" 'BEGIN { printf "%.0f", 100 * (a - b) / hz / s }')
    stop_node "$CROWD_PID"
    probe_p99() { field "$(grep "connection=$2" <<<"$1")" p99_ms; }
    WORST_P99=$(printf '%s\n%s\n' "$(probe_p99 "$PROBE_CROWD" keep-alive)" \
        "$(probe_p99 "$PROBE_CROWD" new)" | sort -g | tail -1)
    ROWS+=("| GET p99 beside 2,000 idle + 50 slowloris (keep-alive / new connection) | $(probe_p99 "$PROBE_CROWD" keep-alive) / $(probe_p99 "$PROBE_CROWD" new) ms (alone: $(probe_p99 "$PROBE_ALONE" keep-alive) / $(probe_p99 "$PROBE_ALONE" new) ms) | ≤ 50 ms | $(verdict "$WORST_P99" "<=" 50) |")
    NOTES+=("The crowd: $(field "$HOLD_LINE" lowest_open) of 2,050 connections open at the fewest, $(field "$HOLD_LINE" reconnects) reconnections after the server's timeouts, $(field "$HOLD_LINE" refusals) refused by a cap; the node used ${CROWD_CPU}% of a core meanwhile.")
fi

if wants bodies; then
    log "Four 100 MB bodies at once, by Content-Length, then chunked (a fresh node each)"
    serve bodies-length true "$SERVER_BIN"
    BODIES_LENGTH=$(edge bodies --pid "$NODE_PID" --count 4 --megabytes 100)
    log "$BODIES_LENGTH"
    stop_node "$NODE_PID"
    serve bodies-chunked true "$SERVER_BIN"
    BODIES_CHUNKED=$(edge bodies --pid "$NODE_PID" --count 4 --megabytes 100 --chunked)
    log "$BODIES_CHUNKED"
    stop_node "$NODE_PID"
    RISE=$(printf '%s\n%s\n' "$(field "$BODIES_LENGTH" rss_rise_mb)" \
        "$(field "$BODIES_CHUNKED" rss_rise_mb)" | sort -g | tail -1)
    ROWS+=("| RSS rise, four 100 MB bodies at once (Content-Length / chunked) | $(field "$BODIES_LENGTH" rss_rise_mb) / $(field "$BODIES_CHUNKED" rss_rise_mb) MB (answers $(field "$BODIES_LENGTH" statuses) / $(field "$BODIES_CHUNKED" statuses)) | ≤ 50 MB | $(verdict "$RISE" "<=" 50) |")
fi

if wants params; then
    log "80,000 query parameters: default limits, then URL and head at their largest (1 MiB)"
    serve params true "$SERVER_BIN"
    PARAMS_DEFAULT=$(edge params --pid "$NODE_PID" --count 80000)
    log "$PARAMS_DEFAULT"
    stop_node "$NODE_PID"
    mkdir -p "$XDG_CONFIG_HOME/SupportConsole"
    printf '[api]\nmax_url_bytes=1048576\nmax_header_bytes=1048576\n' \
        >"$XDG_CONFIG_HOME/SupportConsole/support-console.conf"
    serve params-wide true "$SERVER_BIN"
    PARAMS_WIDE=$(edge params --pid "$NODE_PID" --count 80000)
    log "$PARAMS_WIDE"
    stop_node "$NODE_PID"
    rm "$XDG_CONFIG_HOME/SupportConsole/support-console.conf"
    PARAMS_CPU=$(printf '%s\n%s\n' "$(field "$PARAMS_DEFAULT" cpu_max_ms)" \
        "$(field "$PARAMS_WIDE" cpu_max_ms)" | sort -g | tail -1)
    ROWS+=("| CPU for one request with 80,000 parameters (default limits / 1 MiB URL and head) | $(field "$PARAMS_DEFAULT" cpu_max_ms) / $(field "$PARAMS_WIDE" cpu_max_ms) ms, worst of 20 (answers $(field "$PARAMS_DEFAULT" status) / $(field "$PARAMS_WIDE" status)) | ≤ 10 ms | $(verdict "$PARAMS_CPU" "<=" 10) |")
fi

# --- report ---------------------------------------------------------------------------------------
COMMIT=$(git -C "$SOURCE_DIR" rev-parse --short HEAD)
[[ -z $(git -C "$SOURCE_DIR" status --porcelain) ]] || COMMIT="$COMMIT + uncommitted changes"
echo
echo "## The HTTP edge: $COMMIT against $BASELINE_SHA, SQLite, $(printf "%'d" "$TICKETS") tickets"
echo
echo "$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1);" \
    "wrk -t1 -c$CONNECTIONS, ${DURATION} s per run; $ROUNDS rounds taken in turn, medians of" \
    "req/s and of each round's change."
echo
echo "| Measure | Result | Target | Met |"
echo "|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
[[ ${#NOTES[@]} -eq 0 ]] || printf '%s\n' "${NOTES[@]}"
echo "Raw output: $RESULTS"
