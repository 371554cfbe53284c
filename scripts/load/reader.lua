-- wrk script: readers of the plan being written, signed in with an API token, taking in
-- turn the plan's page (HTML) and the plan as JSON. Any answer other than 200 is counted
-- by status and printed at the end.
--
--   UNIT=5 YEAR=2026 wrk -t2 -c150 -d60s -s reader.lua URL -- TOKEN

local print_summary = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "summary.lua")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local paths, token
local turn = 0
statuses = {}   -- status -> count of answers other than 200 (read by done())

function init(args)
  token = args[1]
  local unit, year = os.getenv("UNIT"), os.getenv("YEAR")
  paths = {
    "/enheter/" .. unit .. "/planer/" .. year,
    "/api/v1/units/" .. unit .. "/plans/" .. year,
  }
end

function request()
  turn = turn + 1
  return wrk.format("GET", paths[(turn % #paths) + 1],
    { ["Authorization"] = "Bearer " .. token })
end

function response(status, headers, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  print_summary(summary, latency)
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do
      io.write(string.format("STATUS %d %d\n", status, n))
    end
  end
end
