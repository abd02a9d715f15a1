#!/usr/bin/env bash
# Wave rehearsal (issue 8) — IN PROGRESS: the learners' journey only (activate, read every lesson
# with heartbeats every 15 s, module and final quizzes with failures and retries, certificate and
# PDF). Not yet: lesson streams held open, seeks and second devices, supporters and announcements,
# the SSE delivery check, the RESULTS.md summary. See loadtests/wave/README.md.
#
# Starts the service from the built jar on the machine's PostgreSQL (fresh database phocap_wave),
# sets the wave up through the API (province, course, campaign, roster import, activation codes,
# an open wave), runs Gatling's WaveSimulation, then checks the database: every learner the
# simulation drove to the end has one completion and one certificate, and nothing else.
# Usage: loadtests/run-wave.sh [--learners N] [--minutes M]   (defaults 10000 and 30: learners arrive over M minutes)
DB=${DB:-phocap_wave}
PORT=${PORT:-18095}
source "$(dirname "$0")/heartbeat-env.sh"
LEARNERS=10000
MINUTES=30
while [ $# -gt 0 ]; do
  case "$1" in
    --learners) LEARNERS=$2; shift 2 ;;
    --minutes) MINUTES=$2; shift 2 ;;
    *) echo "unknown argument $1"; exit 2 ;;
  esac
done
trap 'stop_server' EXIT
BASE="http://127.0.0.1:$PORT"

fresh_database
env PHOCAP_DB_URL="postgresql://$PGHOST:$PGPORT/$DB" PHOCAP_DB_USER="$PGUSER" PHOCAP_DEMO_ENABLED=false \
  PHOCAP_JWT_PUBLIC_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-public.pem" \
  PHOCAP_JWT_PRIVATE_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-private.pem" \
  PHOCAP_ADMIN_PASSWORD="$PASSWORD" QUARKUS_HTTP_PORT=$PORT \
  java -Xmx$HEAP -jar target/quarkus-app/quarkus-run.jar > "$WORK/wave-server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do curl -sf "$BASE/q/health/ready" > /dev/null && break; sleep 1; done
curl -sf "$BASE/q/health/ready" > /dev/null || { echo "server not ready; see $WORK/wave-server.log"; exit 1; }

json() { python3 -c "import sys,json; d=json.load(sys.stdin); print($1)"; }
TOKEN=$(curl -sf "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | json 'd["accessToken"]')
AUTH="Authorization: Bearer $TOKEN"

echo "== setting the wave up through the API: $LEARNERS learners"
python3 - "$WORK/wave-localities.csv" <<'PY'
import sys
rows = ["code,name,level,parent_code", "LT,Tỉnh Thử Tải,1,"]
for d in range(1, 11):
    rows.append(f"LT{d:02d},Huyện {d},2,LT")
    for c in range(1, 11):
        rows.append(f"LT{d:02d}-{c},Xã {d}.{c},3,LT{d:02d}")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
curl -sf -X PUT "$BASE/api/v1/localities" -H "$AUTH" -H 'Content-Type: text/csv; charset=UTF-8' \
  --data-binary @"$WORK/wave-localities.csv" > /dev/null
COURSE=$(curl -sf "$BASE/api/v1/courses" -H "$AUTH" -H 'Content-Type: application/json' \
  --data-binary @loadtests/wave/course.json | json 'd["id"]')
OUTLINE=$(curl -sf "$BASE/api/v1/courses/$COURSE" -H "$AUTH")
LESSONS=$(echo "$OUTLINE" | json '",".join(str(l["id"]) + ":" + str(l["durationSec"]) for m in d["modules"] for l in m["lessons"])')
QUIZZES=$(echo "$OUTLINE" | json '",".join(str(q["id"]) for q in sorted(d["quizzes"], key=lambda q: q["code"] != "Q-M1"))')
CAMPAIGN=$(curl -sf "$BASE/api/v1/campaigns" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Diễn tập đợt học\",\"year\":2026,\"localityCode\":\"LT\",\"courseIds\":[$COURSE],\"targetLearners\":$LEARNERS,\"certificatePrefix\":\"LT\"}" \
  | json 'd["id"]')
python3 - "$WORK/wave-roster.csv" "$LEARNERS" <<'PY'
import sys
n = int(sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write("full_name,phone,birth_year,gender,ethnicity,locality_code,nominated_by,target_group\n")
    for i in range(n):
        f.write(f"Học Viên {i},0385{i:06d},{1960 + i % 45},{'Nữ' if i % 2 else 'Nam'},Kinh,LT{1 + i % 10:02d}-{1 + (i // 10) % 10},VILLAGE,Nông dân\n")
PY
IMPORT=$(curl -sf "$BASE/api/v1/campaigns/$CAMPAIGN/roster" -H "$AUTH" -H 'Content-Type: text/csv' \
  --data-binary @"$WORK/wave-roster.csv" | json 'd["importId"]')
until [ "$(curl -sf "$BASE/api/v1/imports/$IMPORT" -H "$AUTH" | json 'd["status"]')" != RUNNING ]; do sleep 1; done
curl -sf "$BASE/api/v1/imports/$IMPORT/activation-codes.csv" -H "$AUTH" \
  | python3 -c "import sys,csv; r=csv.reader(sys.stdin); next(r); [print(row[1], row[-1]) for row in r]" > "$WORK/wave-learners.txt"
OPENS=$(date -u -d '-1 minute' +%FT%TZ); CLOSES=$(date -u -d '+1 day' +%FT%TZ)
WAVE=$(curl -sf "$BASE/api/v1/campaigns/$CAMPAIGN/waves" -H "$AUTH" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Đợt diễn tập\",\"opensAt\":\"$OPENS\",\"closesAt\":\"$CLOSES\",\"capacity\":$LEARNERS}" | json 'd["id"]')
curl -sf "$BASE/api/v1/campaigns/$CAMPAIGN/waves/$WAVE/learners" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"localityCodes":["LT"]}' > /dev/null
echo "course $COURSE (lessons $LESSONS; quizzes $QUIZZES), campaign $CAMPAIGN, wave $WAVE, $(wc -l < "$WORK/wave-learners.txt") activation codes"

echo "== Gatling: $LEARNERS learners arriving over $MINUTES minutes"
./mvnw -q -ntp -f loadtests/gatling/pom.xml gatling:test -Dgatling.simulationClass=phocap.WaveSimulation \
  -DbaseUrl="$BASE" -Dlearners="$PWD/$WORK/wave-learners.txt" -Dlessons="$LESSONS" -Dquizzes="$QUIZZES" \
  -Dusers="$LEARNERS" -DrampSeconds=$(( MINUTES * 60 )) 2>&1 \
  | sed -n '/Global Information/,/^=*$/p;/Assertion/p;/global:/p;/heartbeat:/p' | awk '!seen[$0]++'
GATLING=${PIPESTATUS[0]}

echo "== verifier (database)"
echo "learners activated: $(psql_q "SELECT count(*) FROM learner WHERE activated_at IS NOT NULL")"
echo "completions: $(psql_q "SELECT count(*) FROM course_completion WHERE campaign_id = $CAMPAIGN"), certificates: $(psql_q "SELECT count(*) FROM certificate WHERE campaign_id = $CAMPAIGN"), learners with more than one: $(psql_q "SELECT count(*) FROM (SELECT learner_id FROM certificate WHERE campaign_id = $CAMPAIGN GROUP BY 1 HAVING count(*) > 1) x")"
echo "report: $(curl -sf "$BASE/api/v1/campaigns/$CAMPAIGN/report" -H "$AUTH" | json 'd["totals"]')"
exit $GATLING
