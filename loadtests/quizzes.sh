#!/usr/bin/env bash
# Quiz benchmark (issue 5, acceptance 2), Gatling in its own JVM (loadtests/gatling):
#  burst: 2,000 learners start and submit a 20-question quiz within one minute (open model);
#         passes only with zero errors and p99 <= 300 ms
# Both follow a 30 s warm-up of the server's JIT that is not recorded.
#  max:   the most submissions/s, 64 learners starting and submitting back to back for 60 s
# The server (default jar, -Xmx384m) runs on the machine's PostgreSQL with demo data; a course with
# a 20-question quiz (bank of 40) is published and added to the demo campaign first.
# Usage: loadtests/quizzes.sh [USERS] [SECONDS]
source "$(dirname "$0")/heartbeat-env.sh"
USERS=${1:-2000}
SECONDS_RUN=${2:-60}
trap 'stop_server' EXIT

fresh_database
start_server "$WORK/quizzes-server.log"
prepare_fleet
TOKEN=$(curl -sf "localhost:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
python3 - > "$WORK/bench-quiz-course.json" <<'PY'
import json
questions = []
for i in range(1, 41):
    kind = ["SINGLE", "MULTIPLE", "TRUE_FALSE"][i % 3]
    if kind == "TRUE_FALSE":
        options = [{"key": "T", "text": "Đúng", "correct": i % 2 == 0}, {"key": "F", "text": "Sai", "correct": i % 2 == 1}]
    else:
        options = [{"key": k, "text": "Phương án %s của câu %d" % (k, i),
                    "correct": (k == "B") if kind == "SINGLE" else (k in ("A", "C"))} for k in "ABCD"]
    questions.append({"code": "Q%d" % i, "text": "Câu %d: dấu hiệu nào cho thấy một tin nhắn là lừa đảo?" % i,
                      "kind": kind, "options": options})
quiz = {"code": "BURST", "title": "Kiểm tra cuối đợt", "questionsPerAttempt": 20, "timeLimitSec": 1800,
        "maxAttempts": 100, "passScore": 60, "questions": questions}
lesson = {"code": "L1", "title": "Ôn tập", "kind": "READING", "durationSec": 60, "body": "Ôn tập"}
print(json.dumps({"code": "BENCH-QUIZ", "title": "Bài kiểm tra đợt cuối", "language": "vi",
                  "modules": [{"code": "M1", "title": "Ôn tập", "lessons": [lesson]}], "quizzes": [quiz],
                  "completion": {"lessons": "ALL", "quizzes": ["BURST"]}}, ensure_ascii=False))
PY
curl -sf "localhost:$PORT/api/v1/courses" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data-binary @"$WORK/bench-quiz-course.json" > /dev/null
COURSE=$(psql_q "SELECT id FROM course WHERE code = 'BENCH-QUIZ'")
QUIZ=$(psql_q "SELECT id FROM quiz WHERE course_id = $COURSE AND code = 'BURST'")
psql_q "UPDATE campaign SET course_ids = array_append(course_ids, $COURSE::bigint) WHERE NOT $COURSE = ANY(course_ids)"
echo "quiz $QUIZ (20 questions per attempt) of course $COURSE; learners in the open wave: $(wc -l < "$WORK/learners.txt")"

gatling() {
  ./mvnw -q -ntp -f loadtests/gatling/pom.xml gatling:test -Dgatling.simulationClass=phocap.QuizBurstSimulation \
    -DbaseUrl="http://127.0.0.1:$PORT" -Dtokens="$PWD/$WORK/tokens.txt" \
    -DquizId="$QUIZ" "$@" 2>&1 | grep -vE '^\s*$|Simulation .* started|Parsing log|Generating reports|Please open' || true
}
echo "== warm-up (not recorded): 30 s of the max scenario, then a short pause"
gatling -Dmode=max -Dconcurrency=32 -Dseconds=30 | grep -E 'mean throughput' || true
sleep 5
echo "== burst: $USERS learners within $SECONDS_RUN s (open model)"
gatling -Dmode=burst -Dusers="$USERS" -Dseconds="$SECONDS_RUN" | sed -n '/Global Information/,/^=*$/p;/Assertion/p;/global:/p'
echo "== max: 64 learners back to back for $SECONDS_RUN s (closed model)"
gatling -Dmode=max -Dconcurrency=64 -Dseconds="$SECONDS_RUN" | sed -n '/Global Information/,/^=*$/p;/Assertion/p;/global:/p'
echo "attempts graded: $(psql_q "SELECT count(*) FILTER (WHERE submitted_at IS NOT NULL) || ' of ' || count(*) FROM quiz_attempt")"
