#!/usr/bin/env bash
# A quick heartbeat figure for before/after comparisons on one machine: fresh database with demo
# data, 20 s warm-up, then 30 s closed model (256 connections, Vert.x generator) and 20 s of
# GET /q/health/live on the same server. Prints one line. Run it in each checkout being compared,
# alternating, several times (RESULTS.md, "The hot paths with the integrity bookkeeping").
# Usage: loadtests/heartbeats-quick.sh LABEL
source "$(dirname "$0")/heartbeat-env.sh"
trap 'stop_server' EXIT
fresh_database
start_server "$WORK/quick-server.log"
prepare_fleet
bench closed $PORT "$WORK/tokens.txt" "$LESSON" 256 20 "$WORK/quick-warm.txt" > /dev/null
A=$(bench closed $PORT "$WORK/tokens.txt" "$LESSON" 256 30 "$WORK/quick-a.txt" | head -1)
D=$(bench health $((PORT + 1000)) 256 20 | head -1)
echo "${1:-run} | $A | $D"
