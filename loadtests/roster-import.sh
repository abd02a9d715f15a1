#!/usr/bin/env bash
# Benchmark: import a generated 100,000-row roster through the HTTP API and report rows/s and the
# server's memory. The server runs as its own process (embedded PostgreSQL, capped heap); this
# script is only the client. Usage: loadtests/roster-import.sh [ROWS]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
PORT=${PORT:-18080}
WORK=loadtests/work
HEAP=${HEAP:-384m}
PASSWORD="bench-$(date +%s)"
mkdir -p "$WORK"
rm -rf "$WORK/data"

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q package -DskipTests
echo "Generating $ROWS rows..."
java -cp target/classes org.phocap.demo.RosterGenerator "$ROWS" "$WORK/roster.csv" 20000000
SIZE=$(stat -c %s "$WORK/roster.csv")

echo "Starting the server (heap $HEAP)..."
PHOCAP_DATA_DIR="$WORK/data" PHOCAP_ADMIN_PASSWORD="$PASSWORD" QUARKUS_HTTP_PORT=$PORT PHOCAP_MANAGEMENT_PORT=$((PORT + 1000)) \
  PHOCAP_ROSTER_MAX_ROWS=$((ROWS > 200000 ? ROWS : 200000)) PHOCAP_ROSTER_MAX_BYTES=$((SIZE > 52428800 ? SIZE + 1048576 : 52428800)) java -Xmx$HEAP -jar target/quarkus-app/quarkus-run.jar > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "localhost:$((PORT + 1000))/q/health/ready" > /dev/null && break
  sleep 1
done
curl -sf "localhost:$((PORT + 1000))/q/health/ready" > /dev/null || { echo "server did not become ready"; tail -50 "$WORK/server.log"; exit 1; }

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
TOKEN=$(curl -sf "localhost:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | json '["accessToken"]')
AUTH="Authorization: Bearer $TOKEN"
CAMPAIGN=$(curl -sf "localhost:$PORT/api/v1/campaigns" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"name":"Benchmark","year":2026,"localityCode":"26","courseIds":[],"targetLearners":100000}' | json '["id"]')

rss_kb() { awk '/VmRSS/ {print $2}' /proc/$SERVER/status; }
heap_bytes() { curl -s "localhost:$((PORT + 1000))/q/metrics" | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s+=$NF} END {printf "%d", s}'; }
BASE_RSS=$(rss_kb)
PEAK_RSS=$BASE_RSS
BASE_HEAP=$(heap_bytes)
PEAK_HEAP=$BASE_HEAP

echo "Importing ($SIZE bytes)..."
START=$(date +%s.%N)
IMPORT=$(curl -sf "localhost:$PORT/api/v1/campaigns/$CAMPAIGN/roster" -H "$AUTH" -H 'Content-Type: text/csv' \
  --data-binary "@$WORK/roster.csv" | json '["importId"]')
STATUS=RUNNING
while [ "$STATUS" = RUNNING ]; do
  sleep 0.2
  R=$(rss_kb); [ "$R" -gt "$PEAK_RSS" ] && PEAK_RSS=$R
  H=$(heap_bytes); [ "$H" -gt "$PEAK_HEAP" ] && PEAK_HEAP=$H
  STATUS=$(curl -sf "localhost:$PORT/api/v1/imports/$IMPORT" -H "$AUTH" | json '["status"]')
done
END=$(date +%s.%N)
RESULT=$(curl -sf "localhost:$PORT/api/v1/imports/$IMPORT" -H "$AUTH")
# The report counters must count exactly the enrolments the import created.
COUNTED=$(curl -sf "localhost:$PORT/api/v1/campaigns/$CAMPAIGN/report" -H "$AUTH" | json '["totals"]["enrolled"]')
HWM=$(awk '/VmHWM/ {print $2}' /proc/$SERVER/status)

# The ceiling beside it, same PostgreSQL, same minute: COPY of the same file, each line as one text
# row of a plain table (no parsing, indexes, keys, triggers or checks): the floor of any import of
# these bytes. (Lines, not columns: the generator writes some rows with an unquoted comma, as
# officials' spreadsheets do, which the importer reads and COPY's CSV mode refuses.)
PG_PORT=$(sed -n 4p "$WORK/data/pg/postmaster.pid")
COPY_START=$(date +%s.%N)
PGPASSWORD=$(cat "$WORK/data/db-password") psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qX \
  -c "DROP TABLE IF EXISTS bench_copy_ceiling" -c "CREATE TABLE bench_copy_ceiling (line text)" \
  -c "\\copy bench_copy_ceiling FROM '$WORK/roster.csv' WITH (FORMAT text, DELIMITER E'\\x01')" \
  -c "DROP TABLE bench_copy_ceiling"
COPY_END=$(date +%s.%N)
echo "ceiling           COPY of the same file's lines into a plain table: $(echo "$COPY_END - $COPY_START" | bc) s -> $(echo "$ROWS / ($COPY_END - $COPY_START)" | bc) rows/s"

python3 - "$RESULT" "$START" "$END" "$BASE_RSS" "$PEAK_RSS" "$HWM" "$PEAK_HEAP" "$SIZE" "$COUNTED" "$BASE_HEAP" <<'PY'
import json, sys
from datetime import datetime
r = json.loads(sys.argv[1]); start, end = float(sys.argv[2]), float(sys.argv[3])
base, peak, hwm, heap, size, counted, base_heap = (int(x) for x in sys.argv[4:11])
def ts(s): return datetime.fromisoformat(s.replace("Z", "+00:00"))
server = (ts(r["finishedAt"]) - ts(r["startedAt"])).total_seconds()
wall = end - start
rows = r["total"]
print(f"status            {r['status']} (created {r['created']}, updated {r['updated']}, rejected {r['rejected']})")
print(f"file              {rows} rows, {size/1e6:.1f} MB")
print(f"wall time         {wall:.2f} s upload-to-DONE  -> {rows/wall:,.0f} rows/s")
print(f"server time       {server:.2f} s import job      -> {rows/server:,.0f} rows/s")
print(f"server RSS        {base/1024:.0f} MB before, {peak/1024:.0f} MB peak during import, VmHWM {hwm/1024:.0f} MB")
print(f"heap used         {base_heap/1e6:.0f} MB before, {heap/1e6:.0f} MB peak (garbage included; heap capped at the HEAP setting)")
print(f"report counters   {counted} enrolled ({'exact' if counted == r['created'] else 'WRONG: created ' + str(r['created'])})")
sys.exit(0 if counted == r["created"] and r["status"] == "DONE" else 1)
PY
