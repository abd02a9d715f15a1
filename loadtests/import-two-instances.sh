#!/usr/bin/env bash
# Roster imports with two instances on one database (300,000 rows each): instance B starting while
# A runs an import must leave it alone (A finishes it: DONE, every row); then A is killed with
# SIGKILL in the middle of a second import and started again: that import must read FAILED with
# nothing of it kept. PostgreSQL ends the killed process's transaction, and with it the lock that
# marks the import as running (roster/ImportStore.claim).
# Usage: loadtests/import-two-instances.sh
DB=phocap_import_two
source "$(dirname "$0")/heartbeat-env.sh"
A=; B=
trap 'kill $A $B 2>/dev/null; wait 2>/dev/null' EXIT
fresh_database
java -cp target/classes org.phocap.demo.RosterGenerator 300000 "$WORK/two-roster-1.csv" 30000000
java -cp target/classes org.phocap.demo.RosterGenerator 300000 "$WORK/two-roster-2.csv" 40000000
LIMITS=(PHOCAP_ROSTER_MAX_ROWS=400000 PHOCAP_ROSTER_MAX_BYTES=60000000)
start_server "$WORK/two-a.log" "${LIMITS[@]}"; A=$SERVER
json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
TOKEN=$(curl -sf "localhost:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | json '["accessToken"]')
AUTH="Authorization: Bearer $TOKEN"
CAMPAIGN=$(curl -sf "localhost:$PORT/api/v1/campaigns" -H "$AUTH" -H 'Content-Type: application/json' -d '{"name":"Two","year":2026,"localityCode":"26","courseIds":[],"targetLearners":1000}' | json '["id"]')
status() { psql_q "SELECT status FROM roster_import WHERE id = $1"; }
await_end() { for _ in $(seq 180); do S=$(status "$1"); [ "$S" != RUNNING ] && break; sleep 1; done; echo "$S"; }
upload() { curl -sf "localhost:$PORT/api/v1/campaigns/$CAMPAIGN/roster" -H "$AUTH" -H 'Content-Type: text/csv' --data-binary "@$1" | json '["importId"]'; }

BEFORE=$(psql_q "SELECT count(*) FROM learner")
IMPORT1=$(upload "$WORK/two-roster-1.csv")
sleep 2
echo "instance B starting while A runs import $IMPORT1 ($(status "$IMPORT1"))"
SAVED_PORT=$PORT; PORT=$((PORT + 10)); start_server "$WORK/two-b.log" "${LIMITS[@]}"; B=$SERVER; PORT=$SAVED_PORT
STARTED_B=$(status "$IMPORT1")
echo "import $IMPORT1 right after B started: $STARTED_B"
END1=$(await_end "$IMPORT1")
echo "import $IMPORT1: $END1, created $(psql_q "SELECT created FROM roster_import WHERE id = $IMPORT1")"

AFTER1=$(psql_q "SELECT count(*) FROM learner")
IMPORT2=$(upload "$WORK/two-roster-2.csv")
sleep 3
echo "SIGKILL to A during import $IMPORT2 ($(status "$IMPORT2"))"
kill -9 "$A"; wait "$A" 2>/dev/null || true
start_server "$WORK/two-a-again.log" "${LIMITS[@]}"; A=$SERVER
END2=$(status "$IMPORT2")
echo "import $IMPORT2 after A started again: $END2 ($(psql_q "SELECT message FROM roster_import WHERE id = $IMPORT2"))"
AFTER2=$(psql_q "SELECT count(*) FROM learner")
echo "learners: before $BEFORE, after the first import $AFTER1, after the killed one $AFTER2"
[ "$STARTED_B" = RUNNING ] && [ "$END1" = DONE ] && [ "$AFTER1" = "$((BEFORE + 300000))" ] \
  && [ "$END2" = FAILED ] && [ "$AFTER2" = "$AFTER1" ] && echo PASS || { echo FAIL; exit 1; }
