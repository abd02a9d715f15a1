#!/usr/bin/env bash
# One poisoning learner among 200 honest ones (security finding 5): the honest learners send
# 1,000 heartbeats/s for SECONDS (open model, Vert.x generator), once alone and once while one more
# learner loops malformed heartbeats back to back on its own connection. Pass: every honest
# heartbeat answered 200 in both runs, the same throughput (within 10 %), and nothing acknowledged
# lost. Usage: loadtests/poison.sh [SECONDS] (default 60)
source "$(dirname "$0")/heartbeat-env.sh"
SECONDS_RUN=${1:-60}
RATE=${RATE:-1000}
HONEST=${HONEST:-200}
trap 'stop_server' EXIT

fresh_database
start_server "$WORK/poison-server.log"
prepare_fleet
head -n $(( HONEST + 1 )) "$WORK/tokens.txt" > "$WORK/tokens-poison.txt"
head -n $HONEST "$WORK/tokens.txt" > "$WORK/tokens-honest.txt"
echo "$HONEST honest learners at $RATE heartbeats/s for $SECONDS_RUN s, video lesson $LESSON"
echo "== warm-up, not measured (a fresh JVM, $SECONDS_RUN s)"
WARMUP_SECONDS=10 bench open $PORT "$WORK/tokens-honest.txt" "$LESSON" $RATE "$SECONDS_RUN" "$WORK/acks-warm.txt" | sed 's/^/warm-up: /'
load_acks "$WORK/acks-warm.txt"
echo "== without the poisoner"
WARMUP_SECONDS=10 bench open $PORT "$WORK/tokens-honest.txt" "$LESSON" $RATE "$SECONDS_RUN" "$WORK/acks-clean.txt"
load_acks "$WORK/acks-clean.txt"
echo "== with one learner looping malformed heartbeats"
POISONER=1 WARMUP_SECONDS=10 bench open $PORT "$WORK/tokens-poison.txt" "$LESSON" $RATE "$SECONDS_RUN" "$WORK/acks-poison.txt"
load_acks "$WORK/acks-poison.txt"
echo "server RSS: $(( $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024 )) MB"
echo "stack traces in the server log: $(grep -c '^\s*at ' "$WORK/poison-server.log" || true)"
curl -s "localhost:$((PORT + 1000))/q/metrics" | grep -E '^phocap_heartbeat_batch_isolations_total|^phocap_heartbeats_total\{outcome="rejected"' || true
echo "zero lost? $(lost_report)"
