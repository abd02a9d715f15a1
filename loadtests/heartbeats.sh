#!/usr/bin/env bash
# Heartbeat benchmark, all four figures in one run (issue 4, acceptance 3), with Gatling
# (loadtests/gatling, HeartbeatSimulation) as the load generator in its own JVM:
#  (a) the most heartbeats/s sustained over 60 s with group commit (closed model, 256 learners)
#  (b) the same with max-size=1: one transaction per heartbeat (server restarted with it)
#  (c) p50/p99 latency at a fixed 3,000 heartbeats/s (open model) with group commit
#  (d) the ceiling of the same server and tool on GET /q/health/live (its management port, PORT + 1000)
# and zero lost: for each run, the heartbeats stored meanwhile (sum of lesson_progress.heartbeats)
# are compared with Gatling's 2xx count. Server (JVM, heap capped), PostgreSQL (the machine's,
# 127.0.0.1:5432) and Gatling share this machine. Each server gets a 30 s warm-up first.
# Usage: loadtests/heartbeats.sh [SECONDS]
source "$(dirname "$0")/heartbeat-env.sh"
SECONDS_RUN=${1:-60}
CONNS=${CONNS:-256}
WARMUP=${WARMUP:-30}
trap 'stop_server' EXIT

stored() { psql_q "SELECT coalesce(sum(heartbeats), 0) FROM lesson_progress"; }
# Answers that were repeats (duplicate: true) are acknowledged but store nothing new; the server counts them.
repeats() { curl -s "localhost:$((PORT + 1000))/q/metrics" | awk '/^phocap_heartbeats_total\{outcome="repeat"/ {s += $2} END {printf "%d", s}'; }

# gatling LABEL mode=... : runs the simulation, prints its figures, and checks stored vs 2xx.
gatling() {
  local label=$1; shift
  local before; before=$(stored)
  local rep_before; rep_before=$(repeats)
  ./mvnw -q -ntp -f loadtests/gatling/pom.xml gatling:test -Dgatling.simulationClass=phocap.HeartbeatSimulation \
    -DbaseUrl="http://127.0.0.1:${GATLING_PORT:-$PORT}" -Dtokens="$PWD/$WORK/tokens.txt" -DlessonId="$LESSON" "$@" \
    > "$WORK/gatling-$label.out" 2>&1 || true
  local ok; ok=$(awk -F'|' '/> request count/ {gsub(/[ ,]/, "", $3); print $3; exit}' "$WORK/gatling-$label.out")
  local seconds; seconds=$(grep -oE 'seconds=[0-9]+' <<< "$*" | cut -d= -f2)
  if grep -q 'mode=open' <<< "$*"; then
    echo "$label: 2xx ${ok:-?} (a 20 s ramp, then ${seconds} s at the fixed rate)"
  else
    echo "$label: 2xx ${ok:-?} in ${seconds} s = $(( ${ok:-0} / seconds ))/s"
  fi
  grep -E '> (mean|response time (50th|75th|95th|99th) percentile|max response time)' "$WORK/gatling-$label.out" | sed 's/^/    /'
  grep -E '> KO|failed' "$WORK/gatling-$label.out" | head -3 | sed 's/^/    /'
  if ! grep -q 'mode=health' <<< "$*"; then
    local after; after=$(stored)
    local rep; rep=$(( $(repeats) - rep_before ))
    echo "    stored meanwhile: $(( after - before )) new + $rep repeats answered (2xx: ${ok:-?}; a closed run's last requests may be stored unanswered)"
    [ "$(( after - before + rep ))" -ge "${ok:-0}" ] && echo "    zero lost" || echo "    LOST: fewer stored than acknowledged"
  fi
}

fresh_database
echo "== group commit (default batch settings)"
start_server "$WORK/heartbeats-server.log"
prepare_fleet
echo "learners in an open wave: $(wc -l < "$WORK/learners.txt"), lesson $LESSON"
gatling warm-up -Dmode=closed -Dconcurrency=$CONNS -Dseconds=$WARMUP > /dev/null
gatling "(a)" -Dmode=closed -Dconcurrency=$CONNS -Dseconds="$SECONDS_RUN"
echo "server RSS after (a): $(( $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024 )) MB"
gatling "(c)" -Dmode=open -Drate=3000 -Dseconds="$SECONDS_RUN"
GATLING_PORT=$((PORT + 1000)) gatling "(d)" -Dmode=health -Dconcurrency=$CONNS -Dseconds=30
curl -s "localhost:$((PORT + 1000))/q/metrics" | grep -E '^phocap_heartbeat_batch_size_(count|sum)' || true
stop_server

echo "== one transaction per heartbeat (max-size=1, 16 in flight)"
start_server "$WORK/heartbeats-server-1.log" PHOCAP_HEARTBEAT_BATCH_MAX_SIZE=1 PHOCAP_HEARTBEAT_BATCH_MAX_IN_FLIGHT=16
gatling warm-up-1 -Dmode=closed -Dconcurrency=$CONNS -Dseconds=$WARMUP > /dev/null
gatling "(b)" -Dmode=closed -Dconcurrency=$CONNS -Dseconds="$SECONDS_RUN"
stop_server
