#!/usr/bin/env bash
# The benchmark regression guard (issue 22): short versions of the heartbeat, stream, report and
# import benchmarks against one server it starts itself (the packaged jar, the machine's
# PostgreSQL, a fresh database with demo data, report reuse off), in under three minutes. Prints
# one line per figure, "NAME: VALUE (target TARGET) ok" or "... SHORT", and exits non-zero when
# any figure is short or any request failed, so a change can be checked in minutes:
#   ./mvnw -q package -DskipTests && loadtests/quick.sh
# Each figure is a short run of its full benchmark (loadtests/README.md); the full ones are what
# RESULTS.md reports. Targets are issue 22's; streams and reports run here at demo scale (2,000
# streams, 10,000 learners), lighter than the full runs (20,000 streams, 1,000,000 learners).
source "$(dirname "$0")/heartbeat-env.sh"
trap 'stop_server' EXIT
STREAMS=${STREAMS:-2000}
IMPORT_ROWS=${IMPORT_ROWS:-100000}
SHORT=0

# verdict NAME VALUE TARGET DIRECTION(min|max) UNIT
verdict() {
  local ok
  ok=$(python3 -c "v,t=float('$2'),float('$3'); print('ok' if (v>=t if '$4'=='min' else v<=t) else 'SHORT')")
  [ "$ok" = ok ] || SHORT=1
  printf '%s: %s%s (target %s %s%s) %s\n' "$1" "$2" "$5" "$([ "$4" = min ] && echo '>=' || echo '<=')" "$3" "$5" "$ok"
}
failed() { echo "FAILED: $*"; SHORT=1; }
field() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p" | head -1; }

fresh_database
start_server "$WORK/quick-server.log" PHOCAP_REPORT_CACHE_TTL=PT0S PHOCAP_ROSTER_MAX_ROWS=$((IMPORT_ROWS * 2))
prepare_fleet
ADMIN=$(admin_token)

# Heartbeats: closed model, 256 connections, after a warm-up; health on the same server beside it.
bench closed $PORT "$WORK/tokens.txt" "$LESSON" 256 20 "$WORK/quick-warm.txt" > /dev/null
HB=$(bench closed $PORT "$WORK/tokens.txt" "$LESSON" 256 20 "$WORK/quick-a.txt")
# The ceiling gets its own warm-up: measured cold, it read about half its warm figure and made the
# ratio look better than it is (0.72 cold beside 0.36-0.40 in heartbeats-quick.sh, same code).
bench health $((PORT + 1000)) 256 5 > /dev/null
HEALTH=$(bench health $((PORT + 1000)) 256 10)
echo "$HB" | grep -q "non-2xx {}; transport errors 0" || failed "heartbeats: $HB"
HB_RATE=$(echo "$HB" | sed -n 's/.* = \([0-9]*\)\/s.*/\1/p' | head -1)
HEALTH_RATE=$(echo "$HEALTH" | sed -n 's/.* = \([0-9]*\)\/s.*/\1/p' | head -1)
verdict "heartbeats/s" "$HB_RATE" 15000 min ""
verdict "heartbeats/health" "$(python3 -c "print(round($HB_RATE / $HEALTH_RATE, 2))")" 0.6 min ""

# Heartbeat latency at 3,000/s (open model: sent on schedule whatever the answers).
OPEN=$(bench open $PORT "$WORK/tokens.txt" "$LESSON" 3000 15 "$WORK/quick-open.txt")
echo "$OPEN" | grep -q "non-2xx {}; transport errors 0" || failed "open model: $OPEN"
verdict "heartbeat p99 at 3000/s" "$(echo "$OPEN" | field 'p99')" 20 max " ms"

# Streams: open STREAMS lesson streams (reconnecting as EventSource does), broadcast to all.
COURSE_ID=$(psql_q "SELECT min(id) FROM course")
head -n "$STREAMS" "$WORK/tokens.txt" > "$WORK/quick-stream-tokens.txt"
if java -Xmx512m -cp "$(cat "$WORK/bench.classpath")" loadtests/streams/StreamsBench.java \
    "$PORT" "$WORK/quick-stream-tokens.txt" "$COURSE_ID" "$STREAMS" "$ADMIN" > "$WORK/quick-streams.out" 2>&1; then
  verdict "stream opening/s ($STREAMS streams)" \
    "$(sed -n 's/.*streams ready: .* (\([0-9]*\)\/s;.*/\1/p' "$WORK/quick-streams.out")" 1000 min ""
  # The same client opening as many plain connections to the health endpoint, just before (the
  # ceiling beside the figure, StreamsBench): information only, the target is the rate itself.
  echo "  (ceiling beside it: $(sed -n 's/^ceiling: .* at \([0-9]*\)\/s.*/\1/p' "$WORK/quick-streams.out") health connections/s opened by the same client)"
  verdict "broadcast p99 ($STREAMS streams)" "$(grep '^latency' "$WORK/quick-streams.out" | field 'p99')" 500 max " ms"
else
  failed "streams: $(grep -v LogManager "$WORK/quick-streams.out" | tail -3 | tr '\n' ' ')"
fi

# Reports: 8 staff clients asking for the campaign report back to back for 10 s, no reuse.
CAMPAIGN=$(psql_q "SELECT min(id) FROM campaign")
REPORTS=$(python3 - "$PORT" "$CAMPAIGN" "$ADMIN" <<'PY'
import http.client, sys, threading, time
port, campaign, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
paths = ["/api/v1/campaigns/%s/report%s" % (campaign, q) for q in ("", "?groupBy=locality&level=2", "?groupBy=wave")]
lat, bad, stop = [], [0], time.time() + 10
def client(i):
    c = http.client.HTTPConnection("127.0.0.1", port)
    n = i
    while time.time() < stop:
        t = time.perf_counter()
        c.request("GET", paths[n % len(paths)], headers={"Authorization": "Bearer " + token})
        r = c.getresponse(); r.read()
        lat.append(time.perf_counter() - t)
        if r.status != 200: bad[0] += 1
        n += 1
threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
start = time.time(); [t.start() for t in threads]; [t.join() for t in threads]
lat.sort()
print("%d %.0f %.1f %d" % (len(lat), len(lat) / (time.time() - start), lat[int(len(lat) * 0.99)] * 1000, bad[0]))
PY
)
read -r R_N R_RATE R_P99 R_BAD <<< "$REPORTS"
[ "$R_BAD" = 0 ] || failed "reports: $R_BAD of $R_N answers were not 200"
verdict "reports/s (8 clients, no reuse)" "$R_RATE" 500 min ""
verdict "report p99" "$R_P99" 20 max " ms"

# Import: IMPORT_ROWS generated rows through the API into a new campaign; rows/s until finished.
java -cp target/classes org.phocap.demo.RosterGenerator "$IMPORT_ROWS" "$WORK/quick-roster.csv" 30000000 > /dev/null
NEW=$(curl -sf "localhost:$PORT/api/v1/campaigns" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Quick import\",\"year\":2026,\"localityCode\":\"26\",\"courseIds\":[],\"targetLearners\":$IMPORT_ROWS}" \
  | sed 's/.*"id":\([0-9]*\).*/\1/')
T0=$(date +%s.%N)
IMPORT=$(curl -sf "localhost:$PORT/api/v1/campaigns/$NEW/roster" -H "Authorization: Bearer $ADMIN" \
  -H 'Content-Type: text/csv' --data-binary @"$WORK/quick-roster.csv" | sed 's/.*"importId":\([0-9]*\).*/\1/')
STATUS=RUNNING
for _ in $(seq 1 300); do
  BODY=$(curl -sf "localhost:$PORT/api/v1/imports/$IMPORT" -H "Authorization: Bearer $ADMIN")
  STATUS=$(echo "$BODY" | sed 's/.*"status":"\([A-Z_]*\)".*/\1/')
  [ "$STATUS" = RUNNING ] || break
  sleep 0.2
done
T1=$(date +%s.%N)
CREATED=$(echo "$BODY" | sed -n 's/.*"created":\([0-9]*\).*/\1/p')
ENROLLED=$(psql_q "SELECT count(*) FROM enrolment WHERE campaign_id = $NEW")
[ "$STATUS" = DONE ] && [ "$ENROLLED" = "$CREATED" ] || failed "import: status $STATUS, $CREATED created, $ENROLLED enrolled"
verdict "import rows/s ($IMPORT_ROWS rows)" "$(python3 -c "print(round($IMPORT_ROWS / ($T1 - $T0)))")" 16667 min ""

exit $SHORT
