#!/usr/bin/env bash
# Benchmark (issue 9): lesson streams held on one instance, an announcement posted through
# another instance on the same database. Two servers (JVM, heap capped) share the machine's
# PostgreSQL (a fresh database phocap_bench); loadtests/streams/StreamsBench.java opens N streams
# on instance B and broadcasts through instance A (the LISTEN/NOTIFY bridge carries it), then
# through B itself for comparison. Reports the time until every stream has the broadcast and both
# servers' RSS.
# Usage: loadtests/streams-two-instances.sh [STREAMS]
HEAP=${HEAP:-512m}   # as loadtests/streams.sh: 10,000 streams need it
source "$(dirname "$0")/heartbeat-env.sh"
COUNT=${1:-10000}
PORT_A=${PORT_A:-18083}
PORT_B=${PORT_B:-18084}
trap 'kill $SERVER_A $SERVER_B 2>/dev/null || true; wait 2>/dev/null || true' EXIT

fresh_database
echo "Starting instance A (demo data: 10,000 learners) and then instance B on the same database..."
PORT=$PORT_A start_server "$WORK/two-a.log"
SERVER_A=$SERVER
# The demo data just arrived; this machine's PostgreSQL may run without autovacuum (run-wave.sh
# explains): without statistics the stream snapshots' queries scan, the pool queues, B's heap fills.
psql_q "VACUUM (ANALYZE)"
PORT=$PORT_B start_server "$WORK/two-b.log" PHOCAP_DEMO_ENABLED=false
SERVER_B=$SERVER
TOKEN=$(curl -sf "localhost:$PORT_A/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
COURSE=$(psql_q "SELECT min(id) FROM course")
tokens "1..$COUNT" "$WORK/two-tokens.txt"

run() {
  local label=$1 via=$2
  echo "== $label: $COUNT streams on B (port $PORT_B), broadcast through port $via"
  java -Xmx1g -cp "$(cat "$WORK/bench.classpath")" loadtests/streams/StreamsBench.java \
    "$PORT_B" "$WORK/two-tokens.txt" "$COURSE" "$COUNT" "$TOKEN" "$via" > "$WORK/two-bench-$label.out" 2>&1 &
  local bench=$!
  for _ in $(seq 1 600); do
    grep -q READY "$WORK/two-bench-$label.out" 2>/dev/null && break
    kill -0 $bench 2>/dev/null || break
    sleep 0.5
  done
  local rss_a rss_b
  rss_a=$(awk '/VmRSS/ {print $2}' /proc/$SERVER_A/status)
  rss_b=$(awk '/VmRSS/ {print $2}' /proc/$SERVER_B/status)
  wait $bench || true
  grep -v READY "$WORK/two-bench-$label.out"
  echo "RSS with the streams open: A $((rss_a / 1024)) MB, B $((rss_b / 1024)) MB (heap cap $HEAP each)"
}

run across "$PORT_A"
sleep 5
run same "$PORT_B"
