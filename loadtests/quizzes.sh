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
publish_quiz_course
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
