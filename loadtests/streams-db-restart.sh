#!/usr/bin/env bash
# Lesson streams across a PostgreSQL restart (a probe, about a minute): five learners' streams are
# open when the machine's PostgreSQL 15 is restarted (pg_ctlcluster). Expected: the stream bridge's
# listener reconnects and asks every open stream to reconnect with Last-Event-ID (a notice may have
# been missed during the outage); a broadcast after the restart is stored (202); each stream,
# reconnecting as EventSource does, gets it replayed; a new stream opens with its snapshot; no ERROR.
# Usage: loadtests/streams-db-restart.sh (root, or a user allowed to run pg_ctlcluster)
source "$(dirname "$0")/heartbeat-env.sh"
DB=phocap_probe; PORT=18095
trap 'kill $(jobs -p) 2>/dev/null; stop_server' EXIT
token() { sed -n "$1p" "$WORK/tokens.txt" | awk '{print $2}'; }
fresh_database
start_server "$WORK/probe-server.log"
prepare_fleet
COURSE=$(psql_q "SELECT min(id) FROM course")
echo "course $COURSE"
ADMIN=$(admin_token)
mkdir -p "$WORK/probe"; rm -f "$WORK"/probe/*
for i in 1 2 3 4 5; do
  T=$(token "$i")
  curl -sN -H "Authorization: Bearer $T" -H 'Accept: text/event-stream' "localhost:$PORT/api/v1/me/courses/$COURSE/stream" > $WORK/probe/s$i.txt 2>&1 &
done
sleep 3; echo "ready before: $(grep -l 'event:ready' $WORK/probe/s*.txt | wc -l) of 5"
echo "restart PostgreSQL $(date +%T)"; pg_ctlcluster 15 main restart -m fast; echo "back $(date +%T)"
sleep 3
for k in 1 2 3 4 5 6; do
  code=$(curl -s -o $WORK/probe/b.txt -w '%{http_code}' -X POST "localhost:$PORT/api/v1/courses/$COURSE/broadcast" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"text":"sau khi khởi động lại"}')
  echo "broadcast try $k: $code $(head -c 200 $WORK/probe/b.txt)"; [ "$code" = 202 ] && break; sleep 2
done
sleep 3
echo "streams told to reconnect at the restart: $(grep -l 'reconnect with Last-Event-ID' $WORK/probe/s*.txt | wc -l) of 5"
for i in 1 2 3 4 5; do
  T=$(token "$i")
  LAST=$(grep '^id:' $WORK/probe/s$i.txt | tail -1 | cut -d: -f2)
  timeout 3 curl -sN -H "Authorization: Bearer $T" -H 'Accept: text/event-stream' -H "Last-Event-ID: $LAST" "localhost:$PORT/api/v1/me/courses/$COURSE/stream" > $WORK/probe/r$i.txt || true
done
REPLAYED=$(grep -l 'sau khi' $WORK/probe/r*.txt | wc -l)
echo "reconnected as EventSource does (Last-Event-ID): the broadcast replayed to $REPLAYED of 5"
T=$(token 9)
timeout 4 curl -sN -H "Authorization: Bearer $T" -H 'Accept: text/event-stream' "localhost:$PORT/api/v1/me/courses/$COURSE/stream" > $WORK/probe/new.txt || true
echo "a new stream after the restart: $(grep -c 'event:lesson' $WORK/probe/new.txt) lessons, ready $(grep -c 'event:ready' $WORK/probe/new.txt), snapshot only (no replay without Last-Event-ID)"
echo "server ERROR lines: $(grep -c '"level":"ERROR"' "$WORK/probe-server.log" || true)"; grep '"level":"ERROR"' "$WORK/probe-server.log" | cut -c1-250 | sort | uniq -c | head -5 || true
[ "$REPLAYED" = 5 ] && [ "$(grep -c 'event:ready' $WORK/probe/new.txt || true)" = 1 ] && echo PASS || { echo FAIL; exit 1; }
