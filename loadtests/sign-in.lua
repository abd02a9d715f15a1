-- wrk script for loadtests/sign-in-storm.sh: every connection signs in back to back as the user in
-- the SIGN_IN_BODY environment variable, and the run counts 200s and 503s (refused, not retried).
wrk.method = "POST"
wrk.body = os.getenv("SIGN_IN_BODY")
wrk.headers["Content-Type"] = "application/json"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; shed = 0; other = 0 end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 elseif status == 503 then shed = shed + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local o, s, x = 0, 0, 0
  for _, t in ipairs(threads) do o = o + t:get("ok"); s = s + t:get("shed"); x = x + t:get("other") end
  io.write(string.format("sign-ins: 200 %d, 503 %d, other %d; all answers p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms\n",
    o, s, x, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
