#!/usr/bin/env bash
# Cheater rehearsal (issue 20, acceptance 2): a wave of honest learners with planted cheaters, and
# the integrity flags phocap raised, scored per kind (precision and recall), appended to RESULTS.md.
#
# Sets up through the API on a fresh database: a province of 10 districts, a rehearsal course (three
# 20-s reading lessons that need all of it, a 5-question final quiz), a campaign, the roster, an open
# wave holding everyone. Then loadtests/cheaters/CheaterRehearsal.java plays every learner at once:
#   honest       study live, heartbeats every 5 s; every 10th studies a lesson offline and replays it
#                (a live heartbeat first, the replay after the lesson's time); 100 couples share a phone
#                (two learners on one device: helping each other is not cheating); quiz at 4 s a question
#   shared       one device for five learners (10 groups): SHARED_DEVICE
#   replay       a script: every lesson as one invented replay at once, the quiz answered instantly:
#                IMPLAUSIBLE_PACE and FAST_QUIZ, and no completion
#   two-phone    studies on one phone while a second phone of the account sends heartbeats: CONCURRENT_DEVICES
#   speed-click  studies honestly, answers the quiz instantly: FAST_QUIZ
# Usage: loadtests/cheaters.sh [LEARNERS]   (default 1200; at least 1000)
LEARNERS=${1:-1200}
HEAP=${HEAP:-512m}
PORT=${PORT:-18096}
DB=${DB:-phocap_cheaters}
source "$(dirname "$0")/heartbeat-env.sh"
STARTED_AT=$(date -u +'%Y-%m-%d %H:%M UTC')
trap 'stop_server' EXIT
[ "$LEARNERS" -ge 1000 ] || { echo "a wave of at least 1000 learners"; exit 2; }

fresh_database
env PHOCAP_DB_URL="postgresql://$PGHOST:$PGPORT/$DB" PHOCAP_DB_USER="$PGUSER" PHOCAP_DEMO_ENABLED=false \
  PHOCAP_JWT_PUBLIC_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-public.pem" \
  PHOCAP_JWT_PRIVATE_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-private.pem" \
  PHOCAP_ADMIN_PASSWORD="$PASSWORD" QUARKUS_HTTP_PORT=$PORT PHOCAP_MANAGEMENT_PORT=$((PORT + 1000)) \
  java -Xmx$HEAP -jar target/quarkus-app/quarkus-run.jar > "$WORK/cheaters-server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do curl -sf "localhost:$((PORT + 1000))/q/health/ready" > /dev/null && break; sleep 1; done
BASE="http://127.0.0.1:$PORT"
json() { python3 -c "import sys,json; d=json.load(sys.stdin); print($1)"; }
TOKEN=$(curl -sf "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | json 'd["accessToken"]')
api() { curl -sf "$BASE/api/v1/$1" -H "Authorization: Bearer $TOKEN" "${@:2}"; }

echo "== setting up: $LEARNERS learners"
python3 - "$WORK/cheaters-localities.csv" "$WORK/cheaters-course.json" "$WORK/cheaters-roster.csv" "$LEARNERS" <<'PY'
import json, sys
rows = ["code,name,level,parent_code", "CH,Tỉnh Diễn Tập,1,"]
for d in range(1, 11):
    rows.append(f"CH{d:02d},Huyện {d},2,CH")
    for c in range(1, 6):
        rows.append(f"CH{d:02d}-{c},Xã {d}.{c},3,CH{d:02d}")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
lessons = [{"code": f"L{i}", "title": f"Bài {i}", "kind": "READING", "durationSec": 20, "body": "Nội dung bài đọc",
            "completion": {"minCoverage": 1.0}} for i in (1, 2, 3)]
questions = [{"code": f"Q{i}", "text": f"Câu {i}: không chia sẻ mã OTP?", "kind": "TRUE_FALSE",
              "options": [{"key": "T", "text": "Đúng", "correct": True}, {"key": "F", "text": "Sai", "correct": False}]}
             for i in range(1, 6)]
course = {"code": "CHEATERS", "title": "Diễn tập liêm chính", "language": "vi",
          "modules": [{"code": "M1", "title": "Mô-đun", "lessons": lessons}],
          "quizzes": [{"code": "FINAL", "title": "Kiểm tra", "questionsPerAttempt": 5, "timeLimitSec": 600,
                       "maxAttempts": 3, "passScore": 60, "questions": questions}],
          "completion": {"lessons": "ALL", "quizzes": ["FINAL"]}}
open(sys.argv[2], "w").write(json.dumps(course, ensure_ascii=False))
with open(sys.argv[3], "w") as f:
    f.write("full_name,phone,birth_year,gender,ethnicity,locality_code,nominated_by,target_group\n")
    for i in range(int(sys.argv[4])):
        f.write(f"Học Viên {i},0387{i:06d},{1960 + i % 45},{'Nữ' if i % 2 else 'Nam'},Kinh,CH{1 + i % 10:02d}-{1 + (i // 10) % 5},VILLAGE,Nông dân\n")
PY
api localities -X PUT -H 'Content-Type: text/csv; charset=UTF-8' --data-binary @"$WORK/cheaters-localities.csv" > /dev/null
COURSE=$(api courses -H 'Content-Type: application/json' --data-binary @"$WORK/cheaters-course.json" | json 'd["id"]')
OUTLINE=$(api "courses/$COURSE")
LESSONS=$(echo "$OUTLINE" | json '",".join(str(l["id"]) for m in d["modules"] for l in m["lessons"])')
QUIZ=$(echo "$OUTLINE" | json 'd["quizzes"][0]["id"]')
CAMPAIGN=$(api campaigns -H 'Content-Type: application/json' \
  -d "{\"name\":\"Diễn tập liêm chính\",\"year\":$(date +%Y),\"localityCode\":\"CH\",\"courseIds\":[$COURSE],\"targetLearners\":$LEARNERS}" \
  | json 'd["id"]')
IMPORT=$(api "campaigns/$CAMPAIGN/roster" -H 'Content-Type: text/csv' --data-binary @"$WORK/cheaters-roster.csv" | json 'd["importId"]')
until [ "$(api "imports/$IMPORT" | json 'd["status"]')" != RUNNING ]; do sleep 1; done
OPENS=$(date -u -d '-1 minute' +%FT%TZ); CLOSES=$(date -u -d '+1 day' +%FT%TZ)
WAVE=$(api "campaigns/$CAMPAIGN/waves" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Đợt diễn tập\",\"opensAt\":\"$OPENS\",\"closesAt\":\"$CLOSES\",\"capacity\":$LEARNERS}" | json 'd["id"]')
api "campaigns/$CAMPAIGN/waves/$WAVE/learners" -H 'Content-Type: application/json' -d '{"localityCodes":["CH"]}' > /dev/null
psql_q "SELECT learner_id FROM enrolment WHERE campaign_id = $CAMPAIGN AND wave_id = $WAVE ORDER BY 1" > "$WORK/cheaters-learners.txt"
[ "$(wc -l < "$WORK/cheaters-learners.txt")" -eq "$LEARNERS" ] || { echo "the wave holds $(wc -l < "$WORK/cheaters-learners.txt") learners"; exit 1; }
tokens "$WORK/cheaters-learners.txt" "$WORK/cheaters-tokens.txt"
echo "course $COURSE (lessons $LESSONS, quiz $QUIZ), campaign $CAMPAIGN, wave $WAVE"

echo "== the wave"
java -Xmx1g loadtests/cheaters/CheaterRehearsal.java "$BASE" "$WORK/cheaters-tokens.txt" "$LESSONS" "$QUIZ" "$CAMPAIGN" \
  "$PASSWORD" "$WORK/cheaters-summary.md" | tee "$WORK/cheaters-run.txt"
STATUS=${PIPESTATUS[0]}
{
  echo "### Cheater rehearsal, $STARTED_AT: $([ "$STATUS" -eq 0 ] && echo PASSED || echo FAILED)"
  echo
  echo "\`loadtests/cheaters.sh $LEARNERS\` (server -Xmx$HEAP and PostgreSQL 15 on this machine, learners played by"
  echo "\`loadtests/cheaters/CheaterRehearsal.java\`, one thread each, all at once)."
  echo
  cat "$WORK/cheaters-summary.md"
  echo
} > "$WORK/cheaters-section.md"
# Newest first, under the marker in RESULTS.md's integrity section (appended when there is none).
python3 - loadtests/RESULTS.md "$WORK/cheaters-section.md" <<'PY'
import sys
results, section = open(sys.argv[1]).read(), open(sys.argv[2]).read()
marker = "<!-- cheater rehearsals, newest first -->\n"
results = results.replace(marker, marker + "\n" + section, 1) if marker in results else results + "\n" + section
open(sys.argv[1], "w").write(results)
PY
exit "$STATUS"
