#!/usr/bin/env bash
# The classification backlog at scale, in one command:
#   tests/bench/backlog.sh [--tickets N] [--provider fasttext|rules] [--duration S]
# Seeds N imported tickets (all waiting for classification, as after `support-console import`),
# trains the learned model on them when --provider fasttext, starts the headless server and
# measures how long the backlog takes to drain while wrk reads tickets through the API.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCE_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SOURCE_DIR/build-bench}
TICKETS=100000
PROVIDER=fasttext
CONNECTIONS=10

while [[ $# -gt 0 ]]; do
    case $1 in
    --tickets) TICKETS=$2; shift 2 ;;
    --provider) PROVIDER=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    -h | --help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "backlog.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ $PROVIDER == fasttext || $PROVIDER == rules ]] || { echo "--provider fasttext|rules" >&2; exit 2; }

log() { echo "[backlog] $*" >&2; }

cmake -S "$SOURCE_DIR" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" --target support-console bench_seed >&2
SERVER_BIN=$BUILD_DIR/src/app/support-console
WORK=$(mktemp -d)
SERVER_PID=""
WRK_PID=""
cleanup() {
    [[ -n $WRK_PID ]] && kill "$WRK_PID" 2>/dev/null || true
    if [[ -n $SERVER_PID ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
DB=$WORK/backlog.db

log "Seeding $TICKETS tickets"
"$BUILD_DIR/tests/bench/bench_seed" --database "$DB" --tickets "$TICKETS" --unclassified >&2
if [[ $PROVIDER == fasttext ]]; then
    log "Training the learned model on them"
    "$SERVER_BIN" train --database "$DB" >&2
fi
# wrk's script reads the API token from BENCH_TOKEN; `tokens create` prints it on its last line.
BENCH_TOKEN=$("$SERVER_BIN" tokens create backlog-bench --scopes tickets:read --database "$DB" |
    tail -n 1) || true
[[ $BENCH_TOKEN =~ ^sct_ ]] || { log "could not create an API token"; exit 1; }
export BENCH_TOKEN

# The settings of the person running this must not change what is measured.
export XDG_CONFIG_HOME=$WORK/config
export SUPPORT_CONSOLE_AI_PROVIDERS=$PROVIDER,rules
unset SUPPORT_CONSOLE_AI_URL OPENAI_API_KEY SUPPORT_CONSOLE_AI_KEY
QT_LOGGING_RULES="supportconsole.api.requests=false" "$SERVER_BIN" --headless --database "$DB" \
    --bind 127.0.0.1 --port 0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
START=$(date +%s.%N)
PORT=""
for _ in $(seq 1 600); do
    PORT=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/server.out")
    [[ -n $PORT ]] && break
    sleep 0.05
done
[[ -n $PORT ]] || { cat "$WORK/server.err" >&2; exit 1; }

pending() {
    curl -s "http://127.0.0.1:$PORT/health" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["classification"]["pending"])'
}

# The API keeps answering meanwhile: wrk reads random tickets for as long as the backlog lasts.
wrk -t1 -c"$CONNECTIONS" -d120s --latency -s "$SCRIPT_DIR/get_by_id.lua" \
    "http://127.0.0.1:$PORT" -- "$TICKETS" >"$WORK/wrk.txt" 2>&1 &
WRK_PID=$!
# The queue counts refresh about once a second, so "0" is trusted only after the queue was seen
# non-empty or two seconds have passed.
while true; do
    sleep 0.25
    LEFT=$(pending || echo "?")
    NOW=$(date +%s.%N)
    ELAPSED=$(python3 -c "print(f'{$NOW - $START:.1f}')")
    if [[ $LEFT == 0 ]] && python3 -c "import sys; sys.exit(0 if $NOW - $START > 2 else 1)"; then
        break
    fi
    python3 -c "import sys; sys.exit(0 if $NOW - $START < 300 else 1)" || { log "gave up"; exit 1; }
done
kill -INT "$WRK_PID" 2>/dev/null || true
wait "$WRK_PID" 2>/dev/null || true
WRK_PID=""

CLASSIFIED=$(curl -s "http://127.0.0.1:$PORT/health" | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["classification"]["classified_since_start"])')
echo "Backlog of $TICKETS tickets, providers $PROVIDER,rules: drained in ${ELAPSED} s" \
    "(classified by this run: $CLASSIFIED)"
echo "API meanwhile (wrk -c$CONNECTIONS GET /requests/{id}):"
grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors" "$WORK/wrk.txt" | sed 's/^/  /'
grep -E "Learned model|Classifying with" "$WORK/server.err" | sed 's/^/  server: /' || true
