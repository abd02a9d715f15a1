#!/usr/bin/env bash
# Heartbeat benchmark with the lighter Vert.x load generator (loadtests/heartbeats/HeartbeatBench.java),
# a cross-check of heartbeats.sh (Gatling) that also counts 2xx answers per learner:
#  (a) the most heartbeats/s sustained over 60 s with group commit (closed model, 256 connections)
#  (b) the same with max-size=1: one transaction per heartbeat (server restarted with it)
#  (c) p50/p99 latency at a fixed 3,000 heartbeats/s (open model) with group commit
#  (d) the ceiling of the same server and tool on GET /q/health/live (its management port, PORT + 1000)
# and zero lost: per learner, the stored count of accepted heartbeats equals the 2xx answers.
# Server (JVM, heap capped), PostgreSQL (the machine's, 127.0.0.1:5432) and the load generator
# (loadtests/heartbeats/HeartbeatBench.java, its own JVM) share this machine.
# Usage: loadtests/heartbeats-vertx.sh [SECONDS]
source "$(dirname "$0")/heartbeat-env.sh"
SECONDS_RUN=${1:-60}
CONNS=${CONNS:-256}
WARMUP=${WARMUP:-30}
trap 'stop_server' EXIT

fresh_database
echo "== group commit (default batch settings)"
start_server "$WORK/heartbeats-server.log"
prepare_fleet
echo "learners in an open wave: $(wc -l < "$WORK/learners.txt"), lesson $LESSON"
bench closed $PORT "$WORK/tokens.txt" "$LESSON" $CONNS $WARMUP "$WORK/acks-warmup.txt" | sed 's/^/warm-up: /'
load_acks "$WORK/acks-warmup.txt"
echo "(a)"; bench closed $PORT "$WORK/tokens.txt" "$LESSON" $CONNS "$SECONDS_RUN" "$WORK/acks-a.txt"
load_acks "$WORK/acks-a.txt"
echo "server RSS after (a): $(( $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024 )) MB"
echo "(c)"; bench open $PORT "$WORK/tokens.txt" "$LESSON" 3000 "$SECONDS_RUN" "$WORK/acks-c.txt"
load_acks "$WORK/acks-c.txt"
echo "(d)"; bench health $((PORT + 1000)) $CONNS 30
curl -s "localhost:$((PORT + 1000))/q/metrics" | grep -E '^phocap_heartbeat_batch_size_(count|sum)' || true
stop_server

echo "== one transaction per heartbeat (max-size=1, 16 in flight)"
start_server "$WORK/heartbeats-server-1.log" PHOCAP_HEARTBEAT_BATCH_MAX_SIZE=1 PHOCAP_HEARTBEAT_BATCH_MAX_IN_FLIGHT=16
bench closed $PORT "$WORK/tokens.txt" "$LESSON" $CONNS $WARMUP "$WORK/acks-warmup-1.txt" | sed 's/^/warm-up: /'
load_acks "$WORK/acks-warmup-1.txt"
echo "(b)"; bench closed $PORT "$WORK/tokens.txt" "$LESSON" $CONNS "$SECONDS_RUN" "$WORK/acks-b.txt"
load_acks "$WORK/acks-b.txt"
stop_server

echo "zero lost? $(lost_report)"
