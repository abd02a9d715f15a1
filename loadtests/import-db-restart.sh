#!/usr/bin/env bash
# PostgreSQL restarted during a roster import (300,000 rows): the import must roll back (no learner,
# enrolment or counter from it), read FAILED with its message once the database is back, and the
# same file uploaded afterwards must import in full with exact report counters. The machine's
# PostgreSQL 15 is restarted with pg_ctlcluster 4 s into the import.
# Usage: loadtests/import-db-restart.sh (root, or a user allowed to run pg_ctlcluster)
DB=phocap_import_restart
source "$(dirname "$0")/heartbeat-env.sh"
trap 'stop_server' EXIT
fresh_database
java -cp target/classes org.phocap.demo.RosterGenerator 300000 "$WORK/restart-roster.csv" 30000000
start_server "$WORK/imp-restart-server.log" PHOCAP_ROSTER_MAX_ROWS=400000 PHOCAP_ROSTER_MAX_BYTES=60000000
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
TOKEN=$(curl -sf "localhost:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | json '["accessToken"]')
AUTH="Authorization: Bearer $TOKEN"
CAMPAIGN=$(curl -sf "localhost:$PORT/api/v1/campaigns" -H "$AUTH" -H 'Content-Type: application/json' -d '{"name":"Restart","year":2026,"localityCode":"26","courseIds":[],"targetLearners":1000}' | json '["id"]')
BEFORE=$(psql_q "SELECT count(*) FROM learner")
IMPORT=$(curl -sf "localhost:$PORT/api/v1/campaigns/$CAMPAIGN/roster" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary "@$WORK/restart-roster.csv" | json '["importId"]')
sleep 4
echo "restarting PostgreSQL during import $IMPORT ($(curl -sf localhost:$PORT/api/v1/imports/$IMPORT -H "$AUTH" | json '["total"]') rows done)"
pg_ctlcluster 15 main restart -m fast
for i in $(seq 120); do S=$(curl -sf localhost:$PORT/api/v1/imports/$IMPORT -H "$AUTH" | json '["status"]' 2>/dev/null || true); [ "$S" != RUNNING ] && [ -n "$S" ] && break; sleep 1; done
FIRST=$S
AFTER_FAIL=$(psql_q "SELECT count(*) FROM learner")
echo "import $IMPORT after the restart: $S ($(psql_q "SELECT message FROM roster_import WHERE id = $IMPORT"))"
echo "learners before $BEFORE after $(psql_q "SELECT count(*) FROM learner"); enrolments in the campaign $(psql_q "SELECT count(*) FROM enrolment WHERE campaign_id=$CAMPAIGN"); counters $(psql_q "SELECT coalesce(sum(enrolled),0) FROM report_counter WHERE campaign_id=$CAMPAIGN AND dimension='locality'")"
# The same file again, with the database back: imports in full, counted exactly.
IMPORT2=$(curl -sf "localhost:$PORT/api/v1/campaigns/$CAMPAIGN/roster" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary "@$WORK/restart-roster.csv" | json '["importId"]')
for i in $(seq 120); do S=$(curl -sf localhost:$PORT/api/v1/imports/$IMPORT2 -H "$AUTH" | json '["status"]'); [ "$S" != RUNNING ] && break; sleep 1; done
curl -s localhost:$PORT/api/v1/imports/$IMPORT2 -H "$AUTH" | python3 -c "import sys,json; d=json.load(sys.stdin); print('again:', d['status'], d['created'], d['updated'], d['rejected'])"
echo "enrolments $(psql_q "SELECT count(*) FROM enrolment WHERE campaign_id=$CAMPAIGN"); counters $(psql_q "SELECT sum(enrolled) FROM report_counter WHERE campaign_id=$CAMPAIGN AND dimension='locality'")"
LEFT=$(psql_q "SELECT count(*) FROM learner") ; [ "$FIRST" = FAILED ] && [ "$AFTER_FAIL" = "$BEFORE" ] && [ "$LEFT" = "$((BEFORE + 300000))" ] && [ "$(psql_q "SELECT sum(enrolled) FROM report_counter WHERE campaign_id=$CAMPAIGN AND dimension='locality'")" = 300000 ] && echo PASS || { echo FAIL; exit 1; }
echo "server errors: $(grep -c '"level":"ERROR"' "$WORK/imp-restart-server.log")"; grep '"level":"ERROR"' "$WORK/imp-restart-server.log" | cut -c1-300 | head -3 || true
