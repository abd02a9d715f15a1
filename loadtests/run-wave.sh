#!/usr/bin/env bash
# Wave rehearsal (issue 8): one command replays a whole wave against phocap, checks that nothing was
# lost, and writes a summary to loadtests/RESULTS.md (Gatling's HTML report: loadtests/target/gatling/).
#
# Without --url it starts the service from the built jar on the machine's PostgreSQL (a fresh
# database phocap_wave). Either way it sets the wave up through the API: a province of 10 districts
# and 100 communes, the load-test course (loadtests/wave/course.json), a campaign, one supporter per
# district, the roster import with its activation codes, an open wave holding everyone. Then Gatling's
# WaveSimulation runs learners, supporters and an admin together (see its javadoc), and the verifier
# compares what the simulation was told with what the service reports and stores.
#
# Usage: loadtests/run-wave.sh [--learners N] [--minutes M] [--announcements A] [--heartbeat-every S]
#                              [--url URL --admin-password P [--db CONNINFO]]
#   --learners N       learners in the wave (default 10000)
#   --minutes M        they arrive over M minutes (default 20); each then needs about 5 minutes
#   --url URL          rehearse against a running deployment instead (it must be one you may fill
#                      with a test campaign); --db lets the verifier read its database too
set -euo pipefail
LEARNERS=10000
MINUTES=20
ANNOUNCEMENTS=3
HEARTBEAT_EVERY=15
URL=""
ADMIN_PASSWORD=""
TARGET_DB=""
COMMAND="loadtests/run-wave.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --learners) LEARNERS=$2; shift 2 ;;
    --minutes) MINUTES=$2; shift 2 ;;
    --announcements) ANNOUNCEMENTS=$2; shift 2 ;;
    --heartbeat-every) HEARTBEAT_EVERY=$2; shift 2 ;;
    --url) URL=$2; shift 2 ;;
    --admin-password) ADMIN_PASSWORD=$2; shift 2 ;;
    --db) TARGET_DB=$2; shift 2 ;;
    *) echo "unknown argument $1 (see the usage at the top of $0)"; exit 2 ;;
  esac
done
DB=${DB:-phocap_wave}
# 10,000 open streams and as many signed-in learners need more than the 384 MB the smaller
# benchmarks run with: the first full run ran out of memory there (RESULTS.md).
HEAP=${HEAP:-512m}
PORT=${PORT:-18095}
source "$(dirname "$0")/heartbeat-env.sh"
STARTED_AT=$(date -u +'%Y-%m-%d %H:%M UTC')
SERVER=""
SAMPLER=""
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  [ -n "${VACUUMER:-}" ] && kill "$VACUUMER" 2>/dev/null
  [ -n "$SERVER" ] && stop_server
  true
}
trap cleanup EXIT

if [ -z "$URL" ]; then
  BASE="http://127.0.0.1:$PORT"
  ADMIN_PASSWORD=$PASSWORD
  TARGET_DB=$DB
  fresh_database
  env PHOCAP_DB_URL="postgresql://$PGHOST:$PGPORT/$DB" PHOCAP_DB_USER="$PGUSER" PHOCAP_DEMO_ENABLED=false \
    PHOCAP_JWT_PUBLIC_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-public.pem" \
    PHOCAP_JWT_PRIVATE_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-private.pem" \
    PHOCAP_ADMIN_PASSWORD="$PASSWORD" QUARKUS_HTTP_PORT=$PORT PHOCAP_MANAGEMENT_PORT=$((PORT + 1000)) \
    java -Xmx$HEAP -jar target/quarkus-app/quarkus-run.jar > "$WORK/wave-server.log" 2>&1 &
  SERVER=$!
  TARGET="the service started by this script (target/quarkus-app, -Xmx$HEAP) on the machine's PostgreSQL"
else
  BASE=${URL%/}
  [ -n "$ADMIN_PASSWORD" ] || { echo "--url needs --admin-password"; exit 2; }
  TARGET="$BASE"
fi
DB=$TARGET_DB
# Ready: the local server's readiness on its management port; a deployment's through its public
# address (its /q/* is not routed): the sign-in endpoint answering GET with 405.
ready() {
  if [ -z "$URL" ]; then curl -sf "http://127.0.0.1:$((PORT + 1000))/q/health/ready" > /dev/null
  else [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/auth/login")" = 405 ]; fi
}
for _ in $(seq 1 120); do ready && break; sleep 1; done
ready || { echo "$BASE is not ready (see $WORK/wave-server.log)"; exit 1; }
db_size() { [ -n "$DB" ] && psql_q "SELECT pg_database_size(current_database())" || echo 0; }
SIZE_BEFORE=$(db_size)

json() { python3 -c "import sys,json; d=json.load(sys.stdin); print($1)"; }
TOKEN=$(curl -sf "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" | json 'd["accessToken"]')
AUTH="Authorization: Bearer $TOKEN"
api() { curl -sf "$BASE/api/v1/$1" -H "$AUTH" "${@:2}"; }

echo "== setting the wave up through the API: $LEARNERS learners"
RUN=$(date +%s)
python3 - "$WORK/wave-localities.csv" <<'PY'
import sys
rows = ["code,name,level,parent_code", "LT,Tỉnh Thử Tải,1,"]
for d in range(1, 11):
    rows.append(f"LT{d:02d},Huyện {d},2,LT")
    for c in range(1, 11):
        rows.append(f"LT{d:02d}-{c},Xã {d}.{c},3,LT{d:02d}")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
api localities -X PUT -H 'Content-Type: text/csv; charset=UTF-8' --data-binary @"$WORK/wave-localities.csv" > /dev/null
COURSE=$(api courses -H 'Content-Type: application/json' --data-binary @loadtests/wave/course.json | json 'd["id"]')
OUTLINE=$(api "courses/$COURSE")
LESSONS=$(echo "$OUTLINE" | json '",".join(str(l["id"]) + ":" + str(l["durationSec"]) for m in d["modules"] for l in m["lessons"])')
QUIZZES=$(echo "$OUTLINE" | json '",".join(str(q["id"]) for q in sorted(d["quizzes"], key=lambda q: q["code"] != "Q-M1"))')
CAMPAIGN=$(api campaigns -H 'Content-Type: application/json' \
  -d "{\"name\":\"Diễn tập đợt học $RUN\",\"year\":$(date +%Y),\"localityCode\":\"LT\",\"courseIds\":[$COURSE],\"targetLearners\":$LEARNERS}" \
  | json 'd["id"]')
: > "$WORK/wave-supporters.txt"
for d in $(seq -w 1 10); do
  SUPPORTER_PASSWORD="sup-$RUN-$d-$RANDOM"
  api staff -H 'Content-Type: application/json' -d "{\"username\":\"wave$RUN-lt$d\",\"password\":\"$SUPPORTER_PASSWORD\",\"role\":\"SUPPORTER\",\"scope\":[\"LT$d\"],\"fullName\":\"Tổ hỗ trợ huyện $d\",\"phone\":\"09120000$d\"}" > /dev/null
  echo "wave$RUN-lt$d $SUPPORTER_PASSWORD" >> "$WORK/wave-supporters.txt"
done
# Phones 0385xxxxxx, or 0386xxxxxx... on a deployment that already holds an earlier rehearsal's learners.
PREFIX=$(( 385 + (RUN / 60) % 10 ))
[ -z "$URL" ] && PREFIX=385
python3 - "$WORK/wave-roster.csv" "$LEARNERS" "$PREFIX" <<'PY'
import sys
n, prefix = int(sys.argv[2]), sys.argv[3]
with open(sys.argv[1], "w") as f:
    f.write("full_name,phone,birth_year,gender,ethnicity,locality_code,nominated_by,target_group\n")
    for i in range(n):
        f.write(f"Học Viên {i},0{prefix}{i:06d},{1960 + i % 45},{'Nữ' if i % 2 else 'Nam'},Kinh,LT{1 + i % 10:02d}-{1 + (i // 10) % 10},VILLAGE,Nông dân\n")
PY
IMPORT=$(api "campaigns/$CAMPAIGN/roster" -H 'Content-Type: text/csv' --data-binary @"$WORK/wave-roster.csv" | json 'd["importId"]')
until [ "$(api "imports/$IMPORT" | json 'd["status"]')" != RUNNING ]; do sleep 1; done
api "imports/$IMPORT/activation-codes.csv" \
  | python3 -c "import sys,csv; r=csv.reader(sys.stdin); next(r); [print(row[1], row[-1]) for row in r]" > "$WORK/wave-learners.txt"
[ "$(wc -l < "$WORK/wave-learners.txt")" -eq "$LEARNERS" ] || { echo "the import gave $(wc -l < "$WORK/wave-learners.txt") activation codes for $LEARNERS learners"; exit 1; }
OPENS=$(date -u -d '-1 minute' +%FT%TZ); CLOSES=$(date -u -d '+1 day' +%FT%TZ)
WAVE=$(api "campaigns/$CAMPAIGN/waves" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Đợt diễn tập\",\"opensAt\":\"$OPENS\",\"closesAt\":\"$CLOSES\",\"capacity\":$LEARNERS}" | json 'd["id"]')
api "campaigns/$CAMPAIGN/waves/$WAVE/learners" -H 'Content-Type: application/json' -d '{"localityCodes":["LT"]}' > /dev/null
echo "course $COURSE (lessons $LESSONS; quizzes $QUIZZES), campaign $CAMPAIGN, wave $WAVE, $LEARNERS activation codes, 10 supporters"

# The server's CPU (share of one core) every 5 s, the machine's too, while Gatling runs.
cpu_sampler() {
  local hz; hz=$(getconf CLK_TCK)
  local prev_s prev_m prev_i now_s now_m now_i
  read -r prev_s < <(awk '{print $14 + $15}' "/proc/$SERVER/stat")
  read -r prev_m prev_i < <(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8, $5+$6}' /proc/stat)
  while sleep 5; do
    read -r now_s < <(awk '{print $14 + $15}' "/proc/$SERVER/stat") || break
    read -r now_m now_i < <(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8, $5+$6}' /proc/stat)
    echo "$(( (now_s - prev_s) * 100 / (5 * hz) )) $(( ((now_m - prev_m) - (now_i - prev_i)) * 100 / (now_m - prev_m) ))"
    prev_s=$now_s; prev_m=$now_m; prev_i=$now_i
  done
}
if [ -n "$SERVER" ]; then
  echo 5 > "/proc/$SERVER/clear_refs" 2>/dev/null || true
  CPU_START=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
  cpu_sampler > "$WORK/wave-cpu.txt" &
  SAMPLER=$!
fi

# Production PostgreSQL runs autovacuum; some machines' servers have it off. Without it the hot
# tables (lesson_progress, learner_presence) are never analyzed while they grow from empty, plans
# made on an empty table keep scanning it whole, and every update leaves a dead row behind. Then the
# script does autovacuum's job itself, once a minute, and says so.
VACUUMER=""
if [ -n "$DB" ] && [ "$(psql_q "SHOW autovacuum")" = off ]; then
  echo "autovacuum is off on this PostgreSQL: running VACUUM (ANALYZE) every 60 s in its place"
  AUTOVACUUM_NOTE="autovacuum is off on this PostgreSQL, so the script ran VACUUM (ANALYZE) every 60 s in its place"
  ( while sleep 60; do psql -d "$DB" -qX -c "VACUUM (ANALYZE)" > /dev/null 2>&1 || true; done ) &
  VACUUMER=$!
else
  AUTOVACUUM_NOTE="autovacuum on"
fi

OUT="$PWD/$WORK/wave-run"
rm -rf "$OUT"; mkdir -p "$OUT"
echo "== Gatling: $LEARNERS learners arriving over $MINUTES minutes, $ANNOUNCEMENTS announcements, 10 supporters"
GATLING_START=$(date +%s)
set +e
./mvnw -q -ntp -f loadtests/gatling/pom.xml gatling:test -Dgatling.simulationClass=phocap.WaveSimulation \
  -DbaseUrl="$BASE" -Dlearners="$PWD/$WORK/wave-learners.txt" -Dsupporters="$PWD/$WORK/wave-supporters.txt" \
  -DadminPassword="$ADMIN_PASSWORD" -Dcampaign="$CAMPAIGN" -Dwave="$WAVE" -Dcourse="$COURSE" \
  -Dlessons="$LESSONS" -Dquizzes="$QUIZZES" -Dusers="$LEARNERS" -DrampSeconds=$(( MINUTES * 60 )) \
  -DheartbeatEvery="$HEARTBEAT_EVERY" -Dannouncements="$ANNOUNCEMENTS" -Dout="$OUT" > "$WORK/wave-gatling.log" 2>&1
GATLING=$?
set -e
GATLING_SECONDS=$(( $(date +%s) - GATLING_START ))
sed -n '/Global Information/,/^=*$/p;/Assertion/p' "$WORK/wave-gatling.log" | awk '!seen[$0]++' | grep -v "^$" || true
if [ -n "$SERVER" ]; then
  kill "$SAMPLER" 2>/dev/null || true; SAMPLER=""
  CPU_AVG=$(( ($(awk '{print $14 + $15}' "/proc/$SERVER/stat") - CPU_START) * 100 / (GATLING_SECONDS * $(getconf CLK_TCK)) ))
  CPU_PEAK=$(sort -n "$WORK/wave-cpu.txt" | tail -1 | cut -d' ' -f1)
  MACHINE_AVG=$(awk '{s += $2; n++} END {print n ? int(s / n) : 0}' "$WORK/wave-cpu.txt")
  RSS_PEAK=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER/status")
fi

[ -n "$VACUUMER" ] && { kill "$VACUUMER" 2>/dev/null || true; VACUUMER=""; }

echo "== verifier"
# The set-up's token has expired by now (access tokens live 15 minutes).
TOKEN=$(curl -sf "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" | json 'd["accessToken"]')
AUTH="Authorization: Bearer $TOKEN"
FAILURES=0
check() { # check DESCRIPTION EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "  ok   $1: $3"; else echo "  FAIL $1: expected $2, found $3"; FAILURES=$((FAILURES + 1)); fi
}
prop() { sed -n "s/^$1=//p" "$OUT/wave-simulation.properties"; }
[ -f "$OUT/wave-simulation.properties" ] || { echo "the simulation left no record in $OUT (see $WORK/wave-gatling.log)"; exit 1; }
DRIVEN=$(prop learners.completed)
REPORT=$(api "campaigns/$CAMPAIGN/report")
check "learners the simulation took through the wave" "$LEARNERS" "$(prop learners.finished)"
check "report: enrolled" "$LEARNERS" "$(echo "$REPORT" | json 'd["totals"]["enrolled"]')"
check "report: completed = learners driven to completion" "$DRIVEN" "$(echo "$REPORT" | json 'd["totals"]["completed"]')"
check "certificates listed for the campaign = completers" "$DRIVEN" "$(api "certificates?campaignId=$CAMPAIGN&size=1" | json 'd["total"]')"
check "streams that carried every announcement" "$LEARNERS" "$(prop streams.everyAnnouncement)"
check "announcements sent" "$ANNOUNCEMENTS" "$(prop announcements.sent)"
check "requests still shed (503) after 10 retries" "0" "$(prop shed.gaveUp)"
if [ -n "$DB" ]; then
  psql_q "DROP TABLE IF EXISTS wave_ack, wave_completed" > /dev/null
  psql_q "CREATE UNLOGGED TABLE wave_ack (phone text, lesson_id bigint, credited double precision, acked bigint);
          CREATE UNLOGGED TABLE wave_completed (phone text)" > /dev/null
  psql -d "$DB" -qX -c "\\copy wave_ack FROM '$OUT/wave-acks.txt' WITH (DELIMITER ' ')" \
       -c "\\copy wave_completed FROM '$OUT/wave-completed.txt'"
  check "acknowledged (learner, lesson) credits found stored" "$(psql_q "SELECT count(*) FROM wave_ack")" \
    "$(psql_q "SELECT count(*) FROM wave_ack a JOIN learner l ON l.phone = a.phone
               JOIN lesson_progress p ON p.learner_id = l.id AND p.lesson_id = a.lesson_id
               WHERE round(p.credited_sec::numeric, 1) >= a.credited::numeric - 0.05 AND p.heartbeats >= a.acked")"
  check "certificates of this campaign" "$DRIVEN" "$(psql_q "SELECT count(*) FROM certificate WHERE campaign_id = $CAMPAIGN")"
  check "completers with exactly one certificate" "$DRIVEN" \
    "$(psql_q "SELECT count(*) FROM wave_completed w JOIN learner l ON l.phone = w.phone
               WHERE (SELECT count(*) FROM certificate c WHERE c.campaign_id = $CAMPAIGN AND c.learner_id = l.id) = 1")"
  check "course completions of this campaign" "$DRIVEN" "$(psql_q "SELECT count(*) FROM course_completion WHERE campaign_id = $CAMPAIGN")"
  psql_q "DROP TABLE wave_ack, wave_completed" > /dev/null
fi
SIZE_AFTER=$(db_size)

# ---- the summary in RESULTS.md -------------------------------------------------------------------
REPORT_DIR=$(ls -dt loadtests/target/gatling/wavesimulation-* 2>/dev/null | head -1)
VERDICT=PASSED
{ [ "$GATLING" -ne 0 ] || [ "$FAILURES" -ne 0 ]; } && VERDICT=FAILED
python3 - "$REPORT_DIR" "$OUT/wave-simulation.properties" > "$WORK/wave-figures.md" <<'PY'
import re, sys, os
folder, props = sys.argv[1], dict(l.strip().split("=", 1) for l in open(sys.argv[2]) if "=" in l)
rows = []
# Gatling 3.15 writes its figures into the report's HTML only: one <tr> per request name, in columns
# total, OK, KO, %KO, count/s, min, p50, p75, p95, p99, max, mean, std dev.
html = open(os.path.join(folder, "index.html"), encoding="utf-8").read() if folder else ""
for row in re.findall(r'<tr id="[^"]*"[^>]*>(.*?)</tr>', html, re.S):
    name = re.search(r'class="ellipsed-name">([^<]*)<', row)
    cells = dict(re.findall(r'class="value [a-z ]*col-(\d+)">([^<]*)<', row))
    if name and "11" in cells:
        label = "**all requests**" if name.group(1) == "All Requests" else name.group(1)
        rows.append(f"| {label} | {cells['2']} | {cells['4']} | {cells['6']} | {cells['8']} | {cells['10']} | {cells['11']} | {cells['12']} |")
print("| request | count | failed | per s | p50 ms | p95 ms | p99 ms | max ms |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
print("\n".join(rows))
print()
print(f"Learners completed: {props.get('learners.completed')}; heartbeats acknowledged: {props.get('heartbeats.acknowledged')}; "
      f"seeks: {props.get('seeks')}; second-device attempts refused: {props.get('secondDevice.tries')}; "
      f"announcements sent: {props.get('announcements.sent')}; streams that saw `ready`: {props.get('streams.ready')}, "
      f"that carried every announcement: {props.get('streams.everyAnnouncement')} of {props.get('streams.checked')} "
      f"({props.get('announcements.missing')} missing); "
      f"503s (load shed) waited out for their Retry-After and retried: {props.get('shed.retried')}.")
PY
GROWTH_MB=$(python3 -c "print(round(($SIZE_AFTER - $SIZE_BEFORE) / 1048576, 1))")
PER_1000=$(python3 -c "print(round(($SIZE_AFTER - $SIZE_BEFORE) / 1048576 / ($LEARNERS / 1000), 1))")
{
  echo
  echo "### Wave rehearsal, $STARTED_AT: $VERDICT"
  echo
  echo "\`$COMMAND\` ($LEARNERS learners arriving over $MINUTES min, heartbeats every $HEARTBEAT_EVERY s, $ANNOUNCEMENTS announcements, 10 supporters polling; Gatling run $(( GATLING_SECONDS / 60 )) min $(( GATLING_SECONDS % 60 )) s)."
  echo "Target: $TARGET ($AUTOVACUUM_NOTE). Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB, PostgreSQL $(psql -d postgres -qtAX -c 'SHOW server_version' 2>/dev/null | cut -d' ' -f1); server, PostgreSQL and Gatling on the same machine."
  echo "Verifier: $([ "$FAILURES" -eq 0 ] && echo green || echo "$FAILURES check(s) failed"); Gatling assertions: $([ "$GATLING" -eq 0 ] && echo held || echo "did not hold (exit $GATLING)")."
  echo
  cat "$WORK/wave-figures.md"
  echo
  if [ -n "$SERVER" ]; then
    echo "Server: peak RSS $RSS_PEAK MB (heap cap $HEAP); CPU $CPU_AVG% of one core on average over the run, $CPU_PEAK% at the busiest 5 s; the whole machine was $MACHINE_AVG% busy on average."
  fi
  [ -n "$DB" ] && echo "PostgreSQL: the database grew by $GROWTH_MB MB, $PER_1000 MB per 1,000 learners (roster, enrolments, progress, quiz attempts, stream events, certificates with their PDFs)."
  echo "Gatling report: \`${REPORT_DIR:-(none)}/index.html\`."
} | tee -a loadtests/RESULTS.md
[ "$VERDICT" = PASSED ]
