# Shared by heartbeats.sh and heartbeat-crash.sh: a fresh database on the machine's PostgreSQL,
# signing keys, and functions to start/stop the server with demo data.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT=${PORT:-18082}
HEAP=${HEAP:-384m}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB=${DB:-phocap_bench}
WORK=loadtests/work
PASSWORD="bench-$(date +%s)"
export PGHOST PGPORT PGUSER
mkdir -p "$WORK/keys"
ulimit -n 20000 || true

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q package -DskipTests
[ -f "$WORK/bench.classpath" ] || ./mvnw -q dependency:build-classpath -Dmdep.outputFile="$WORK/bench.classpath" -Dmdep.includeScope=runtime
if [ ! -f "$WORK/keys/jwt-private.pem" ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/keys/jwt-private.pem" 2>/dev/null
  openssl pkey -in "$WORK/keys/jwt-private.pem" -pubout -out "$WORK/keys/jwt-public.pem"
fi

psql_q() { psql -d "$DB" -qtAX -c "$1"; }

fresh_database() {
  psql -d postgres -qX -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" > /dev/null
}

# start_server LOGFILE [extra env assignments...]; SERVER_JAVA_OPTS adds JVM flags (e.g. a JFR recording).
# Ready once health says so and the demo data's enrolments are in (MIN_ENROLMENTS, default 10,000).
start_server() {
  local log=$1; shift
  env PHOCAP_DB_URL="postgresql://$PGHOST:$PGPORT/$DB" PHOCAP_DB_USER="$PGUSER" PHOCAP_DEMO_ENABLED=true \
    PHOCAP_JWT_PUBLIC_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-public.pem" \
    PHOCAP_JWT_PRIVATE_KEY_LOCATION="file:$PWD/$WORK/keys/jwt-private.pem" \
    PHOCAP_ADMIN_PASSWORD="$PASSWORD" QUARKUS_HTTP_PORT=$PORT PHOCAP_MANAGEMENT_PORT=$((PORT + 1000)) "$@" \
    java -Xmx$HEAP ${SERVER_JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar > "$log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 180); do
    if curl -sf "localhost:$((PORT + 1000))/q/health/ready" > /dev/null && \
       [ "$(psql_q "SELECT count(*) FROM enrolment" 2>/dev/null || echo 0)" -ge "${MIN_ENROLMENTS:-10000}" ]; then
      return 0
    fi
    kill -0 $SERVER 2>/dev/null || { echo "server died; see $log"; exit 1; }
    sleep 1
  done
  echo "server not ready; see $log"; exit 1
}

stop_server() {
  kill $SERVER 2>/dev/null || true
  wait $SERVER 2>/dev/null || true
}

bench() {
  java -Xmx1g -cp "$(cat "$WORK/bench.classpath")" loadtests/heartbeats/HeartbeatBench.java "$@"
}

# tokens LEARNERS OUT: signs learners' tokens with the server's key before the load starts.
tokens() {
  java -cp "$(cat "$WORK/bench.classpath")" loadtests/tokens/BenchTokens.java "$WORK/keys/jwt-private.pem" "$1" "$2"
}

# Learners whose wave is open now with their tokens, and a video lesson of the demo course.
prepare_fleet() {
  psql_q "SELECT e.learner_id FROM enrolment e JOIN wave w ON w.id = e.wave_id
          WHERE now() BETWEEN w.opens_at AND w.closes_at ORDER BY 1" > "$WORK/learners.txt"
  tokens "$WORK/learners.txt" "$WORK/tokens.txt"
  LESSON=$(psql_q "SELECT id FROM lesson WHERE kind = 'VIDEO' ORDER BY id LIMIT 1")
}

# compare ACKS_TABLE: learners whose stored heartbeat count is below what was acknowledged.
load_acks() {
  psql_q "CREATE TABLE IF NOT EXISTS bench_ack (learner_id bigint, acked bigint)"
  psql -d "$DB" -qX -c "\\copy bench_ack FROM '$1' WITH (DELIMITER ' ')"
}

lost_report() {
  psql_q "SELECT count(*) FILTER (WHERE coalesce(lp.heartbeats, 0) < a.acked) || ' lost, '
                 || count(*) FILTER (WHERE coalesce(lp.heartbeats, 0) > a.acked) || ' stored beyond acknowledged, '
                 || coalesce(sum(a.acked), 0) || ' acknowledged, ' || coalesce(sum(lp.heartbeats), 0) || ' stored'
          FROM (SELECT learner_id, sum(acked) AS acked FROM bench_ack GROUP BY 1) a
          LEFT JOIN lesson_progress lp ON lp.learner_id = a.learner_id AND lp.lesson_id = $LESSON"
}

# admin_token: an access token of the ADMIN that start_server created (PASSWORD).
admin_token() {
  curl -sf "localhost:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/'
}

# publish_quiz_course: the quiz benchmarks' course, published through the API as the admin: one
# reading lesson and a final quiz of 20 questions drawn from a bank of 40 (question Qn's kind is
# n % 3: SINGLE with B right, MULTIPLE with A and C, TRUE_FALSE with T when n is even); sets COURSE
# and QUIZ.
publish_quiz_course() {
  TOKEN=$(admin_token)
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
}
