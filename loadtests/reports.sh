#!/usr/bin/env bash
# Report benchmark (issue 7, acceptance 2): report and leaderboard latency with 1,000,000 enrolled
# learners across 10,021 localities (loadtests/reports-data.sql, loaded through the same triggers
# that keep the report counters during roster imports).
#
# The server (default jar, -Xmx384m) runs on the machine's PostgreSQL (fresh database phocap_bench,
# demo data too). Gatling (loadtests/gatling, ReportSimulation, its own JVM) then has CONCURRENCY
# (default 8) staff clients ask for every kind of report and leaderboard back to back for SECONDS
# (default 60), as the ADMIN (whole province) and as a district supporter. Target: p99 <= 200 ms.
# Measured with the default 2 s report cache; with no reuse at all (answers and roll-up sums) at
# CONCURRENCY and at 2 clients; with roll-up sums kept per version (the default; answers exact), first
# with nothing changing, then with CHANGES (default 200) completions a second changing the counts.
# Then the same mix with wrk, the two ways of summing alternated, each round beside its ceiling (the
# districts' report alone), and the ceiling on the first server measured with Gatling.
# Usage: loadtests/reports.sh [CONCURRENCY] [SECONDS]
source "$(dirname "$0")/heartbeat-env.sh"
CONCURRENCY=${1:-8}
SECONDS_RUN=${2:-60}
trap 'stop_server' EXIT

fresh_database
start_server "$WORK/reports-server.log"
echo "== loading 1,000,000 learners (about a minute)"
LOAD_START=$(date +%s)
psql -d "$DB" -qX -v ON_ERROR_STOP=1 -f loadtests/reports-data.sql | grep -E '^Time' | tail -3
echo "loaded in $(( $(date +%s) - LOAD_START )) s"
CAMPAIGN=$(psql_q "SELECT max(id) FROM campaign")
echo "campaign $CAMPAIGN: $(psql_q "SELECT count(*) FROM enrolment WHERE campaign_id = $CAMPAIGN") enrolled, \
$(psql_q "SELECT count(*) FROM locality") localities, $(psql_q "SELECT count(*) FROM report_counter WHERE campaign_id = $CAMPAIGN") counter rows \
($(psql_q "SELECT pg_size_pretty(pg_total_relation_size('report_counter'))"))"
echo "counters equal a fresh count: $(psql_q "SELECT (SELECT sum(completed) FROM report_counter WHERE campaign_id = $CAMPAIGN AND dimension = 'locality')
   = (SELECT count(completed_at) FROM enrolment WHERE campaign_id = $CAMPAIGN)")"

login() {
  curl -sf "localhost:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/'
}
ADMIN=$(login admin "$PASSWORD")
curl -sf "localhost:$PORT/api/v1/staff" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench-district\",\"password\":\"$PASSWORD\",\"role\":\"SUPPORTER\",\"scope\":[\"BP07\"],\"fullName\":\"Huyện 7\"}" > /dev/null
SUPPORTER=$(login bench-district "$PASSWORD")
echo "one report as the admin: $(curl -s -o /dev/null -w '%{time_total}s' "localhost:$PORT/api/v1/campaigns/$CAMPAIGN/report?groupBy=locality&level=3" -H "Authorization: Bearer $ADMIN")"
curl -s "localhost:$PORT/api/v1/campaigns/$CAMPAIGN/report" -H "Authorization: Bearer $ADMIN" | head -c 300 || true; echo

gatling() {
  ./mvnw -q -ntp -f loadtests/gatling/pom.xml gatling:test -Dgatling.simulationClass=phocap.ReportSimulation \
    -DbaseUrl="http://127.0.0.1:$PORT" -DcampaignId="$CAMPAIGN" -DadminToken="$ADMIN" -DsupporterToken="$SUPPORTER" "$@" 2>&1 \
    | grep -vE '^\s*$|Simulation .* started|Parsing log|Generating reports|Please open' || true
}
measure() {
  echo "== warm-up (not recorded): 20 s"
  gatling -Dconcurrency="$1" -Dseconds=20 | grep -E 'mean throughput' || true
  echo "== $1 staff clients for $SECONDS_RUN s ($2)"
  gatling -Dconcurrency="$1" -Dseconds="$SECONDS_RUN" | sed -n '/Global Information/,/^=*$/p;/Assertion/p;/global:/p' | awk '!seen[$0]++'
  echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MB"}')"
}
measure "$CONCURRENCY" "reports cached for 2 s, the default"
stop_server
echo "== no reuse at all (PHOCAP_REPORT_CACHE_TTL=PT0S, PHOCAP_REPORT_REUSE_ROLLUPS=false): every call sums its rows"
start_server "$WORK/reports-server-nocache.log" PHOCAP_REPORT_CACHE_TTL=PT0S PHOCAP_REPORT_REUSE_ROLLUPS=false
ADMIN=$(login admin "$PASSWORD")
SUPPORTER=$(login bench-district "$PASSWORD")
measure "$CONCURRENCY" "no reuse"
measure 2 "no reuse"
stop_server
echo "== no answer reuse (PHOCAP_REPORT_CACHE_TTL=PT0S), roll-up sums kept per version (the default): exact answers"
start_server "$WORK/reports-server-versioned.log" PHOCAP_REPORT_CACHE_TTL=PT0S
ADMIN=$(login admin "$PASSWORD")
SUPPORTER=$(login bench-district "$PASSWORD")
measure "$CONCURRENCY" "no answer reuse, nothing changing"
# A wave going on: CHANGES completions a second turned on or off (20 learners every 1/(CHANGES/20) s),
# so every fold (each second) renews the roll-ups and every kept level is summed again once a second.
CHANGES=${CHANGES:-200}
FIRST=$(psql_q "SELECT min(learner_id) FROM enrolment WHERE campaign_id = $CAMPAIGN")
LAST=$(psql_q "SELECT max(learner_id) FROM enrolment WHERE campaign_id = $CAMPAIGN")
changes() {
  while true; do
    psql -d "$DB" -qtAX -c "UPDATE enrolment SET completed_at = CASE WHEN completed_at IS NULL THEN now() END
      WHERE campaign_id = $CAMPAIGN AND learner_id IN (SELECT learner_id FROM enrolment WHERE campaign_id = $CAMPAIGN
        AND learner_id >= $FIRST + floor(random() * ($LAST - $FIRST))::bigint ORDER BY learner_id LIMIT 20)" > /dev/null
    sleep "$(awk "BEGIN {print 20 / $CHANGES}")"
  done
}
changes &
CHANGER=$!
trap 'kill $CHANGER 2>/dev/null || true; stop_server' EXIT
BEFORE=$(psql_q "SELECT version FROM report_rollup_state")
measure "$CONCURRENCY" "no answer reuse, $CHANGES completions/s changing the counts"
echo "roll-ups renewed during the run: $([ "$BEFORE" != "$(psql_q "SELECT version FROM report_rollup_state")" ] && echo yes || echo NO)"
kill $CHANGER 2>/dev/null || true
# The same mix with wrk (loadtests/report-mix.lua), a generator far lighter than Gatling's JVM, the two
# ways of summing alternated twice on fresh servers (the box's speed drifts from minute to minute),
# first with nothing changing, then with CHANGES completions a second.
if command -v wrk > /dev/null; then
  mix() {
    CAMPAIGN=$CAMPAIGN ADMIN_TOKEN=$ADMIN SUPPORTER_TOKEN=$SUPPORTER wrk -t2 -c8 -d"$1" -s loadtests/report-mix.lua \
      "http://127.0.0.1:$PORT" | grep -E '^mix:'
  }
  for changing in no yes; do
    for round in 1 2; do
      for reuse in false true; do
        stop_server
        start_server "$WORK/reports-server-mix.log" PHOCAP_REPORT_CACHE_TTL=PT0S PHOCAP_REPORT_REUSE_ROLLUPS=$reuse
        ADMIN=$(login admin "$PASSWORD")
        SUPPORTER=$(login bench-district "$PASSWORD")
        if [ "$changing" = yes ]; then changes & CHANGER=$!; fi
        mix 15s > /dev/null
        echo "wrk mix, 8 connections, 20 s, round $round, roll-up sums kept: $reuse, $CHANGES completions/s changing: $changing"
        mix 20s
        if [ "$changing" = yes ]; then kill $CHANGER 2>/dev/null || true; fi
      done
      echo "ceiling in the same minute, same server: the districts' report alone (a read of a few rows), wrk, 8 connections, 10 s"
      wrk -t2 -c8 -d10s -H "Authorization: Bearer $ADMIN" \
        "http://127.0.0.1:$PORT/api/v1/campaigns/$CAMPAIGN/report?groupBy=locality&level=1" | grep -E "Requests/sec|Non-2xx"
    done
  done
else
  echo "(wrk not installed: apt-get install wrk for the lighter mix and the ceiling beside the figures)"
fi
