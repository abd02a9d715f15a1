#!/usr/bin/env bash
# Durable heartbeats in both setups, minutes apart on this machine (issue 17, acceptance 5): the same
# Vert.x generator runs (a) the most heartbeats/s with group commit (closed model, 256 connections),
# (c) latency at 3,000/s (open model) and (d) the health ceiling, first against the machine's
# PostgreSQL 15 (as heartbeats-vertx.sh), then against the default jar's own embedded PostgreSQL
# (no PHOCAP_DB_URL: fsync and synchronous_commit on, data under loadtests/work/embedded-data).
# Each run ends with the zero-loss check (stored heartbeats per learner = 2xx answers).
# Usage: loadtests/heartbeats-embedded.sh [SECONDS]
source "$(dirname "$0")/heartbeat-env.sh"
SECONDS_RUN=${1:-30}
CONNS=${CONNS:-256}
WARMUP=${WARMUP:-30}
trap 'stop_server' EXIT

run() { # run LABEL: the three measurements against the server now running
  prepare_fleet
  psql_q "DROP TABLE IF EXISTS bench_ack" > /dev/null
  echo "[$1] learners in an open wave: $(wc -l < "$WORK/learners.txt"), lesson $LESSON; fsync=$(psql_q 'SHOW fsync'), synchronous_commit=$(psql_q 'SHOW synchronous_commit')"
  bench closed $PORT "$WORK/tokens.txt" "$LESSON" $CONNS $WARMUP "$WORK/acks-warmup.txt" | sed "s/^/[$1] warm-up: /"
  load_acks "$WORK/acks-warmup.txt"
  bench closed $PORT "$WORK/tokens.txt" "$LESSON" $CONNS "$SECONDS_RUN" "$WORK/acks-a.txt" | sed "s/^/[$1] (a) /"
  load_acks "$WORK/acks-a.txt"
  bench open $PORT "$WORK/tokens.txt" "$LESSON" 3000 "$SECONDS_RUN" "$WORK/acks-c.txt" | sed "s/^/[$1] (c) /"
  load_acks "$WORK/acks-c.txt"
  bench health $((PORT + 1000)) $CONNS "$SECONDS_RUN" | sed "s/^/[$1] (d) /"
  echo "[$1] zero lost? $(lost_report)"
}

echo "== external: the machine's PostgreSQL"
fresh_database
start_server "$WORK/heartbeats-external-server.log"
run external
stop_server

echo "== embedded: the default jar's own PostgreSQL"
DATA="$PWD/$WORK/embedded-data"
rm -rf "$DATA"
env -u PHOCAP_DB_URL PHOCAP_DATA_DIR="$DATA" PHOCAP_DEMO_ENABLED=true \
  PHOCAP_JWT_PUBLIC_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-public.pem" \
  PHOCAP_JWT_PRIVATE_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-private.pem" \
  PHOCAP_ADMIN_PASSWORD="$PASSWORD" QUARKUS_HTTP_PORT=$PORT PHOCAP_MANAGEMENT_PORT=$((PORT + 1000)) \
  java -Xmx$HEAP -jar target/quarkus-app/quarkus-run.jar > "$WORK/heartbeats-embedded-server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 180); do
  if [ -f "$DATA/pg/postmaster.pid" ] && curl -sf "localhost:$((PORT + 1000))/q/health/ready" > /dev/null; then break; fi
  kill -0 $SERVER 2>/dev/null || { echo "server died; see $WORK/heartbeats-embedded-server.log"; exit 1; }
  sleep 1
done
# The verifier reads the embedded database like any client: its port and generated password.
export PGPORT=$(sed -n 4p "$DATA/pg/postmaster.pid") PGPASSWORD=$(cat "$DATA/db-password")
DB=postgres
for _ in $(seq 1 180); do [ "$(psql_q "SELECT count(*) FROM enrolment" 2>/dev/null || echo 0)" -ge 10000 ] && break; sleep 1; done
run embedded
