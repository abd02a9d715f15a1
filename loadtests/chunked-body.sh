#!/usr/bin/env bash
# Security finding 7: chunked JSON bodies larger than the limit. Three clients at once each start a
# 300 MB chunked body (64 KiB chunks) to a JSON endpoint; each must get 413 problem+json after the
# server has read about 1 MiB plus one chunk, and the server's heap must stay far below its limit.
# Prints, per client: the answer, the bytes the client got out before the server closed, and the
# time; and the server's heap before and after (from /q/metrics). Usage: loadtests/chunked-body.sh
source "$(dirname "$0")/heartbeat-env.sh"
trap 'stop_server' EXIT
fresh_database
start_server "$WORK/chunked-server.log"
heap() { curl -s "localhost:$((PORT + 1000))/q/metrics" | awk '/^jvm_memory_used_bytes/ && /area="heap"/ {s += $NF} END {printf "%.0f MB", s / 1048576}'; }
echo "server -Xmx$HEAP; heap used before: $(heap)"
# Samples the heap every 100 ms while the clients run; the largest sample is the peak seen.
( while true; do heap | tr -d ' MB' >> "$WORK/chunked-heap.txt"; echo >> "$WORK/chunked-heap.txt"; sleep 0.1; done ) &
SAMPLER=$!
rm -f "$WORK/chunked-heap.txt"
python3 - "$PORT" <<'PY'
import socket, sys, threading, time
port = int(sys.argv[1])
chunk = b" " * 65536
frame = (b"%x\r\n" % len(chunk)) + chunk + b"\r\n"
results = {}
def client(name, path):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
    sent, t0, answer = 0, time.time(), b""
    s.settimeout(0.0)
    try:
        while sent < 300 * 1024 * 1024:
            try:
                answer += s.recv(4096)
                if answer:
                    break
            except BlockingIOError:
                pass
            s.setblocking(True)
            s.sendall(frame)
            s.setblocking(False)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.setblocking(True)
    s.settimeout(10)
    try:
        while b"\r\n\r\n" not in answer:
            more = s.recv(4096)
            if not more:
                break
            answer += more
    except Exception:
        pass
    results[name] = (answer.split(b"\r\n")[0].decode(errors="replace"),
                     "problem+json" in answer.decode(errors="replace"), sent, time.time() - t0)
threads = [threading.Thread(target=client, args=(n, p)) for n, p in
           [("login-1", b"/api/v1/auth/login"), ("login-2", b"/api/v1/auth/login"), ("batch", b"/api/v1/me/heartbeats:batch")]]
[t.start() for t in threads]
[t.join() for t in threads]
for name, (status, problem, sent, secs) in sorted(results.items()):
    print(f"{name}: {status} (problem+json: {problem}); client got {sent / 1048576:.1f} MiB out before the close, in {secs:.2f} s")
PY
kill $SAMPLER 2>/dev/null || true
echo "heap peak while the bodies arrived: $(sort -n "$WORK/chunked-heap.txt" | tail -1) MB (of -Xmx$HEAP)"
echo "heap used after: $(heap); server RSS $(( $(awk '/VmRSS/ {print $2}' /proc/$SERVER/status) / 1024 )) MB; alive: $(curl -s -o /dev/null -w '%{http_code}' localhost:$((PORT + 1000))/q/health/live)"
