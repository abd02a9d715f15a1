#!/usr/bin/env bash
# Certificate benchmark (issue 6, acceptance 3): the first render of N (default 10,000) certificate PDFs.
#
# The server (default jar, -Xmx384m, 2 render threads) runs on the machine's PostgreSQL (a fresh
# database phocap_bench) with demo data in which N learners of the open wave have already studied
# everything (PHOCAP_DEMO_FINISHED_LEARNERS): at start the real completion rule runs for each of
# them and issues their certificates (the server log times it). Then a client in its own JVM
# downloads every certificate's PDF once as the ADMIN, CONCURRENCY (default 16) at a time, each
# serial exactly once: every download is a first render (drawn on the render threads, stored in
# PostgreSQL, answered). With WARM=1 the demo finishes 2N learners and a second pass renders the
# other N for the first time on the now warm server (the render code compiled: the JIT's share of the
# first pass). The last pass downloads the first N again, stored bytes: the same client, server and
# HTTP path without the render, the ceiling the first render is measured beside.
# The client is loadtests/certificates/DownloadBench.java (Vert.x, a few per cent of a core), or
# Gatling with CLIENT=gatling (about half a core at 235 PDFs/s on two cores shared with the server
# and PostgreSQL: its own cost was part of the figure). Every pass fails the script on any answer
# that is not 200 with a whole PDF.
# Peak RSS is the server's VmHWM, reset just before the first pass (so it is the render peak).
# Usage: [WARM=1] [CLIENT=gatling] loadtests/certificates.sh [N] [CONCURRENCY]
source "$(dirname "$0")/heartbeat-env.sh"
N=${1:-10000}
CONCURRENCY=${2:-16}
ISSUE=$N; [ "${WARM:-0}" = 1 ] && ISSUE=$(( 2 * N ))
trap 'stop_server' EXIT

fresh_database
# The demo's first wave holds about 44% of its learners: enrol enough that N of them are in it.
MIN_ENROLMENTS=$(( ISSUE * 5 / 2 )) start_server "$WORK/certificates-server.log" PHOCAP_DEMO_LEARNERS=$(( ISSUE * 5 / 2 )) PHOCAP_DEMO_FINISHED_LEARNERS="$ISSUE"
grep -o 'Demo mode: [0-9]* learners finished.*' "$WORK/certificates-server.log" || true
ISSUED=$(psql_q "SELECT count(*) FROM certificate")
echo "certificates issued: $ISSUED (distinct numbers: $(psql_q "SELECT count(DISTINCT number) FROM certificate"), highest: $(psql_q "SELECT max(number) FROM certificate"))"
[ "$ISSUED" -ge "$ISSUE" ] || { echo "fewer than $ISSUE certificates were issued"; exit 1; }
psql_q "SELECT serial FROM certificate ORDER BY number LIMIT $N" > "$WORK/serials.txt"
psql_q "SELECT serial FROM certificate ORDER BY number OFFSET $N LIMIT $N" > "$WORK/serials-warm.txt"
TOKEN=$(admin_token)
if [ "${CLIENT:-vertx}" != gatling ]; then
  mkdir -p "$WORK/client-classes"
  javac -d "$WORK/client-classes" -cp "$(cat "$WORK/bench.classpath")" loadtests/certificates/DownloadBench.java
fi

# download SERIALS_FILE: one pass over the file; a failed run (a failed request, a build error) stops the script.
download() {
  if [ "${CLIENT:-vertx}" = gatling ]; then gatling "$1"; return; fi
  local out="$WORK/certificates-client.log"
  # Compiled once, and run with the quick compiler only: the client's own JIT would otherwise take
  # a share of the two cores from the server while it is measured.
  if ! java -Xmx512m -XX:TieredStopAtLevel=1 -cp "$WORK/client-classes:$(cat "$WORK/bench.classpath")" DownloadBench \
    "$PORT" "$TOKEN" "$PWD/$1" "$CONCURRENCY" > "$out" 2>&1; then
    tail -20 "$out"; echo "FAILED: the download pass did not pass (whole output: $out)"; exit 1
  fi
  cat "$out"
}
gatling() {
  local out="$WORK/certificates-gatling.log"
  if ! ./mvnw -q -ntp -f loadtests/gatling/pom.xml gatling:test -Dgatling.simulationClass=phocap.CertificateSimulation \
    -DbaseUrl="http://127.0.0.1:$PORT" -Dserials="$PWD/$1" -DadminToken="$TOKEN" \
    -Dmode=render -Dconcurrency="$CONCURRENCY" > "$out" 2>&1; then
    tail -40 "$out"; echo "FAILED: the Gatling pass did not pass (whole output: $out)"; exit 1
  fi
  sed -n '/Global Information/,/^=*$/p;/Assertion/p;/global:/p' "$out"
}
echo "server RSS before: $(grep VmRSS /proc/$SERVER/status | awk '{print $2/1024 " MB"}')"
echo 5 > /proc/$SERVER/clear_refs 2>/dev/null || echo "(could not reset VmHWM: the peak includes start-up)"
echo "== first render of $N PDFs, $CONCURRENCY downloads at a time (client: ${CLIENT:-vertx})"
START=$(date +%s.%N)
download "$WORK/serials.txt"
END=$(date +%s.%N)
echo "first pass: $N PDFs in $(echo "$END - $START" | bc) s wall time (incl. the client's start-up) "
echo "server peak RSS during the render pass: $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MB"}')"
echo "PDFs stored: $(psql_q "SELECT count(*) || ', average ' || round(avg(length(pdf))) || ' bytes, table ' || pg_size_pretty(pg_total_relation_size('certificate_pdf')) FROM certificate_pdf")"
curl -s "localhost:$((PORT + 1000))/q/metrics" | grep -E '^phocap_certificate_render_seconds_(count|sum|max)' || true
if [ "${WARM:-0}" = 1 ]; then
  echo "== first render of $N other PDFs, on the warm server"
  download "$WORK/serials-warm.txt"
  curl -s "localhost:$((PORT + 1000))/q/metrics" | grep -E '^phocap_certificate_render_seconds_(count|sum)' || true
fi
echo "== stored: the first $N PDFs again (the ceiling: same client and server, no render)"
download "$WORK/serials.txt"
echo "server peak RSS overall since the reset: $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MB"}')"
