#!/usr/bin/env bash
# Sign-in storm (the morning a wave opens): CLIENTS connections sign in back to back for SECONDS
# (wrk with loadtests/sign-in.lua; a refused sign-in is counted, not retried), while one learner
# starts a quiz, a call that needs the database, once a second. Prints the sign-ins answered and
# refused, the latency of all answers, and the learner's waits. Each sign-in is a bcrypt check
# (cost 10): the box does a few dozen a second, so most of the storm must be refused at once and
# the learner must not wait behind it. Server: default jar, -Xmx384m, machine PostgreSQL, demo data.
# Usage: loadtests/sign-in-storm.sh [CLIENTS] [SECONDS]
source "$(dirname "$0")/heartbeat-env.sh"
CLIENTS=${1:-300}
SECONDS_RUN=${2:-20}
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
trap 'stop_server' EXIT

fresh_database
start_server "$WORK/sign-in-server.log"
prepare_fleet
LEARNER="Authorization: Bearer $(head -1 "$WORK/tokens.txt" | cut -d' ' -f2)"
QUIZ=$(psql_q "SELECT id FROM quiz ORDER BY id LIMIT 1")
API="http://127.0.0.1:$PORT/api/v1"
export SIGN_IN_BODY="{\"username\":\"admin\",\"password\":\"$PASSWORD\"}"
wrk -t2 -c50 -d5s -s loadtests/sign-in.lua "$API/auth/login" > /dev/null   # warm-up
sleep 2
echo "== $CLIENTS clients signing in back to back for $SECONDS_RUN s"
wrk -t2 -c"$CLIENTS" -d"${SECONDS_RUN}s" --timeout 30s -s loadtests/sign-in.lua "$API/auth/login" > "$WORK/sign-in-wrk.txt" &
WRK=$!
sleep 3
for _ in $(seq 1 $((SECONDS_RUN - 6))); do
  curl -s -o /dev/null -w "%{http_code} %{time_total}\n" -X POST "$API/me/quizzes/$QUIZ/attempts" -H "$LEARNER"
  sleep 1
done > "$WORK/sign-in-learner.txt"
wait $WRK
grep -E "sign-ins:" "$WORK/sign-in-wrk.txt"
sort -k2 -n "$WORK/sign-in-learner.txt" | awk '{a[NR] = $2; codes[$1]++}
  END {printf "a learner starting a quiz once a second meanwhile: %d calls, median %.3f s, max %.3f s (statuses:", NR, a[int(NR / 2) + 1], a[NR];
       for (c in codes) printf " %s x%d", c, codes[c]; print ")"}'
curl -s "localhost:$((PORT + 1000))/q/metrics" | grep -E '^phocap_refusals_total\{cause="(sign-in-queue|db-queue-full)"' || true
