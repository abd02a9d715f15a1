-- wrk script for loadtests/reports.sh: the same twelve calls as Gatling's ReportSimulation, in turn on
-- every connection (the admin's token in ADMIN_TOKEN, the district supporter's in SUPPORTER_TOKEN,
-- the campaign in CAMPAIGN), with a generator far lighter than Gatling's JVM on the same two cores.
-- Prints p50/p99 and counts every answer that is not 200.
local campaign = os.getenv("CAMPAIGN")
local admin = "Bearer " .. os.getenv("ADMIN_TOKEN")
local supporter = "Bearer " .. os.getenv("SUPPORTER_TOKEN")
local calls = {
  {"/report?groupBy=locality&level=1", admin}, {"/report?groupBy=locality&level=2", admin},
  {"/report?groupBy=locality&level=3", admin}, {"/report?groupBy=gender", admin},
  {"/report?groupBy=nominatedBy", admin}, {"/report?groupBy=wave", admin},
  {"/report?groupBy=ethnicity", admin}, {"/report?groupBy=targetGroup", admin},
  {"/leaderboard?level=2", admin}, {"/leaderboard?level=3", admin},
  {"/report?groupBy=locality&level=2", supporter}, {"/report?groupBy=gender", supporter},
}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = math.random(#calls); bad = 0 end
function request()
  n = n % #calls + 1
  return wrk.format("GET", "/api/v1/campaigns/" .. campaign .. calls[n][1], {["Authorization"] = calls[n][2]})
end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("mix: %.1f reports/s, p50 %.1f ms, p99 %.1f ms, max %.0f ms, not 200: %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, b))
end
