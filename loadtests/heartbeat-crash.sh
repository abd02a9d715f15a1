#!/usr/bin/env bash
# Crash test (issue 4, acceptance 2): heartbeats run against the server, the server is killed with
# SIGKILL mid-load and started again on the same database while the load goes on; at the end every
# heartbeat that got a 2xx must be in PostgreSQL. The load generator counts 2xx answers per
# learner (one lesson each); the script compares them with lesson_progress.heartbeats, the stored
# count of accepted heartbeats. "lost" must be 0. "stored beyond acknowledged" may be above 0:
# those were committed but their answer died with the server (the client retries them; a retry
# is recognised by its seq and credits nothing twice).
# Usage: loadtests/heartbeat-crash.sh [SECONDS] [KILL_AT_STORED]
source "$(dirname "$0")/heartbeat-env.sh"
SECONDS_RUN=${1:-60}
KILL_AT=${2:-40000}
trap 'stop_server' EXIT

fresh_database
start_server "$WORK/crash-server.log"
prepare_fleet
echo "learners: $(wc -l < "$WORK/learners.txt"), lesson $LESSON; load for $SECONDS_RUN s, SIGKILL once $KILL_AT heartbeats are stored"
bench closed $PORT "$WORK/tokens.txt" "$LESSON" 256 "$SECONDS_RUN" "$WORK/acks-crash.txt" \
  > "$WORK/crash-bench.out" 2>&1 &
BENCH=$!
until [ "$(psql_q "SELECT coalesce(sum(heartbeats), 0) FROM lesson_progress")" -ge "$KILL_AT" ]; do
  kill -0 $BENCH 2>/dev/null || { echo "load ended before the kill"; exit 1; }
  sleep 0.2
done
BEFORE=$(psql_q "SELECT coalesce(sum(heartbeats), 0) FROM lesson_progress")
kill -9 $SERVER
wait $SERVER 2>/dev/null || true
echo "killed the server (SIGKILL) with $BEFORE heartbeats stored; restarting it on the same database"
start_server "$WORK/crash-server-2.log"
echo "restarted; the load goes on"
wait $BENCH || true
cat "$WORK/crash-bench.out"
load_acks "$WORK/acks-crash.txt"
echo "result: $(lost_report)"
LOST=$(psql_q "SELECT count(*) FROM (SELECT learner_id, sum(acked) AS acked FROM bench_ack GROUP BY 1) a
               LEFT JOIN lesson_progress lp ON lp.learner_id = a.learner_id AND lp.lesson_id = $LESSON
               WHERE coalesce(lp.heartbeats, 0) < a.acked")
[ "$LOST" = "0" ] && echo "PASS: every acknowledged heartbeat is stored" || { echo "FAIL: $LOST learners lost acknowledged heartbeats"; exit 1; }
