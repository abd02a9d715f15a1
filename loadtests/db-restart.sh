#!/usr/bin/env bash
# PostgreSQL restarted under heartbeat load (64 connections, 50 s): the machine's PostgreSQL 15 is
# restarted with pg_ctlcluster 15 s in. Prints readiness each second afterwards, the answers by
# status (expected: 2xx and 503 only), the loss check, and the server's ERROR lines by kind.
# Usage: loadtests/db-restart.sh (root, or a user allowed to run pg_ctlcluster)
cd "$(dirname "$0")/.."
source loadtests/heartbeat-env.sh
DB=phocap_restart; PORT=18091
trap 'stop_server' EXIT
fresh_database
start_server "$WORK/restart-server.log"
prepare_fleet
bench closed $PORT "$WORK/tokens.txt" "$LESSON" 64 50 "$WORK/acks-restart.txt" > "$WORK/restart-bench.out" 2>&1 &
BENCH=$!
sleep 15
echo "restarting PostgreSQL at $(date +%T)"; pg_ctlcluster 15 main restart -m fast; echo "back at $(date +%T)"
for i in $(seq 1 15); do printf '%s ready=%s ' "$(date +%T)" "$(curl -s -o /dev/null -w '%{http_code}' localhost:$((PORT + 1000))/q/health/ready)"; sleep 1; done; echo
wait $BENCH
cat "$WORK/restart-bench.out"
load_acks "$WORK/acks-restart.txt"
echo "result: $(lost_report)"
echo "server log: $(grep -c ' ERROR ' "$WORK/restart-server.log") ERROR lines"; grep ' ERROR ' "$WORK/restart-server.log" | cut -c60-220 | sort | uniq -c | sort -rn | head -5
