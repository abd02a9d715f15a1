#!/usr/bin/env bash
# Benchmark: hold N concurrent lesson streams (default 10,000), broadcast one announcement to all
# of them, and measure the time until every stream has it and the server's RSS with them open.
# The server (embedded PostgreSQL, demo data: 10,000 enrolled learners, the sample course) and the
# load generator (loadtests/streams/StreamsBench.java on Vert.x) are separate processes.
# Usage: loadtests/streams.sh [STREAMS]
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-10000}
PORT=${PORT:-18081}
HEAP=${HEAP:-512m}
WORK=loadtests/work
PASSWORD="bench-$(date +%s)"
mkdir -p "$WORK"
rm -rf "$WORK/streams-data"
ulimit -n 20000 || true

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q package -DskipTests
[ -f "$WORK/bench.classpath" ] || ./mvnw -q dependency:build-classpath -Dmdep.outputFile="$WORK/bench.classpath" -Dmdep.includeScope=runtime

echo "Starting the server (heap $HEAP, demo data)..."
PHOCAP_DATA_DIR="$WORK/streams-data" PHOCAP_ADMIN_PASSWORD="$PASSWORD" QUARKUS_HTTP_PORT=$PORT PHOCAP_MANAGEMENT_PORT=$((PORT + 1000)) \
  java -Xmx$HEAP ${SERVER_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar > "$WORK/streams-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "localhost:$((PORT + 1000))/q/health/ready" > /dev/null && break
  sleep 1
done
TOKEN=$(curl -sf "localhost:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
RSS_IDLE=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)

echo "Signing $COUNT learners' tokens..."
java -cp "$(cat "$WORK/bench.classpath")" loadtests/tokens/BenchTokens.java \
  "$WORK/streams-data/keys/jwt-private.pem" "1..$COUNT" "$WORK/streams-tokens.txt"
echo "Opening $COUNT streams..."
java -Xmx1g -cp "$(cat "$WORK/bench.classpath")" loadtests/streams/StreamsBench.java \
  "$PORT" "$WORK/streams-tokens.txt" 1 "$COUNT" "$TOKEN" > "$WORK/streams-bench.out" 2>&1 &
BENCH=$!
for _ in $(seq 1 600); do
  grep -q READY "$WORK/streams-bench.out" 2>/dev/null && break
  kill -0 $BENCH 2>/dev/null || break
  sleep 0.5
done
RSS_OPEN=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)
wait $BENCH || true
grep -v READY "$WORK/streams-bench.out"
echo "server RSS: $((RSS_IDLE / 1024)) MB idle, $((RSS_OPEN / 1024)) MB with $COUNT streams open (heap cap $HEAP)"
