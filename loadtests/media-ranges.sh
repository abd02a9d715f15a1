#!/usr/bin/env bash
# Baseline: 206 throughput for random 1 MiB ranges of a 50 MB lesson video at 200 concurrent
# clients (wrk, its own process; `apt-get install wrk`). Usage: loadtests/media-ranges.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-30}
PORT=${PORT:-18082}
WORK=loadtests/work
PASSWORD="bench-$(date +%s)"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
mkdir -p "$WORK"
rm -rf "$WORK/media-data"
ulimit -n 20000 || true
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q package -DskipTests
head -c 52428800 /dev/urandom > "$WORK/video-50mb.mp4"

PHOCAP_DATA_DIR="$WORK/media-data" PHOCAP_ADMIN_PASSWORD="$PASSWORD" QUARKUS_HTTP_PORT=$PORT PHOCAP_MANAGEMENT_PORT=$((PORT + 1000)) \
  java -Xmx384m -jar target/quarkus-app/quarkus-run.jar > "$WORK/media-server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "localhost:$((PORT + 1000))/q/health/ready" > /dev/null && break; sleep 1; done
TOKEN=$(curl -sf "localhost:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
curl -sf -X PUT "localhost:$PORT/api/v1/lessons/1/media" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: video/mp4' \
  --data-binary "@$WORK/video-50mb.mp4" > /dev/null
MEDIA_SIZE=52428800 wrk -t2 -c200 -d${SECONDS_RUN}s --latency -s loadtests/media-ranges.lua \
  -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/lessons/1/media"
echo "server RSS after: $(( $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024 )) MB (heap cap 384m)"
