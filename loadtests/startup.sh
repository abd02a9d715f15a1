#!/usr/bin/env bash
# JVM start to ready (issue 22): the packaged jar on the machine's PostgreSQL (a fresh database,
# migrated by a first start that is not counted; no demo data), started RUNS times (default 5)
# without and with the AppCDS archive, alternating. Each figure is the time from launching `java`
# to the first 200 of GET /q/health/ready (polled every 10 ms), and Quarkus' own "started in".
# The archive is made by packaging with -Dquarkus.package.jar.appcds.enabled=true (done here first;
# about 40 s, it starts the application's static init).
# With JDK25=/path/to/a/JDK-25/bin/java set, it also measures that JDK with an AOT cache (JEP 483/514:
# one training start that writes target/quarkus-app/app.aot on exit, then starts that map it). The
# project builds for Java 17; this measures the same jar on a newer runtime, an operator's choice.
# Usage: [JDK25=...] loadtests/startup.sh [RUNS]
RUNS=${1:-5}
DB=phocap_start
source "$(dirname "$0")/heartbeat-env.sh"
trap 'stop_server' EXIT
# Packaged again each time: an archive only fits the exact jars it was made from.
./mvnw -q package -DskipTests -Dquarkus.package.jar.appcds.enabled=true
fresh_database

# Starts the server with the given JVM options; prints "ms-to-ready quarkus-started-in".
timed_start() {
  local log="$WORK/startup-server.log"
  local t0
  t0=$(date +%s%N)
  # From the application's folder: the archive records the class path as the build ran it.
  local root=$PWD
  (cd target/quarkus-app && exec env PHOCAP_DATA_DIR="$root/$WORK/startup-data" PHOCAP_DB_URL="postgresql://$PGHOST:$PGPORT/$DB" PHOCAP_DB_USER="$PGUSER" PHOCAP_DEMO_ENABLED=false \
    PHOCAP_JWT_PUBLIC_KEY_LOCATION="file:$root/$WORK/keys/jwt-public.pem" \
    PHOCAP_JWT_PRIVATE_KEY_LOCATION="file:$root/$WORK/keys/jwt-private.pem" \
    PHOCAP_ADMIN_PASSWORD="$PASSWORD" QUARKUS_HTTP_PORT=$PORT PHOCAP_MANAGEMENT_PORT=$((PORT + 1000)) \
    ${JAVA_CMD:-java} -Xmx$HEAP "$@" -jar quarkus-run.jar) > "$log" 2>&1 &
  SERVER=$!
  until curl -sf "localhost:$((PORT + 1000))/q/health/ready" > /dev/null 2>&1; do
    kill -0 $SERVER 2>/dev/null || { echo "server died; see $log"; exit 1; }
    sleep 0.01
  done
  local t1
  t1=$(date +%s%N)
  echo "$(((t1 - t0) / 1000000)) $(sed -n 's/.* started in \([0-9.]*\)s.*/\1/p' "$log" | head -1)"
  stop_server
}

timed_start > /dev/null # migrates the fresh database
declare -a plain cds
for i in $(seq 1 "$RUNS"); do
  plain+=("$(timed_start)")
  # -Xshare:on: a run that could not map the archive fails instead of silently measuring without it.
  cds+=("$(timed_start -XX:SharedArchiveFile=app-cds.jsa -Xshare:on)")
done
summary() {
  printf '%s\n' "${@:2}" | sort -n | awk -v label="$1" '
    { ms[NR] = $1; q[NR] = $2 }
    END { printf "%s: to ready median %d ms (min %d, max %d); Quarkus started in median %ss (%d runs)\n",
          label, ms[int((NR + 1) / 2)], ms[1], ms[NR], q[int((NR + 1) / 2)], NR }'
}
summary "without AppCDS" "${plain[@]}"
summary "with AppCDS" "${cds[@]}"
if [ -n "${JDK25:-}" ]; then
  declare -a j25 aot
  rm -f target/quarkus-app/app.aot
  JAVA_CMD="$JDK25" timed_start -XX:AOTCacheOutput=app.aot > /dev/null # training: the cache is written at exit
  [ -f target/quarkus-app/app.aot ] || { echo "no AOT cache written; see $WORK/startup-server.log"; exit 1; }
  for i in $(seq 1 "$RUNS"); do
    j25+=("$(JAVA_CMD="$JDK25" timed_start)")
    aot+=("$(JAVA_CMD="$JDK25" timed_start -XX:AOTCache=app.aot -XX:AOTMode=on)")
  done
  summary "$("$JDK25" -version 2>&1 | head -1), no cache" "${j25[@]}"
  summary "$("$JDK25" -version 2>&1 | head -1), AOT cache" "${aot[@]}"
fi
