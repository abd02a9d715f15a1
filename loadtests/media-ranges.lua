-- Random 1 MiB byte ranges of the file, as a video player seeking and buffering would ask.
local size = tonumber(os.getenv("MEDIA_SIZE"))
local chunk = 1048576
math.randomseed(os.time())
request = function()
  local first = math.random(0, size - chunk)
  wrk.headers["Range"] = "bytes=" .. first .. "-" .. (first + chunk - 1)
  return wrk.format("GET", nil)
end
response = function(status, headers, body)
  if status ~= 206 then
    error("unexpected status " .. status)
  end
end
