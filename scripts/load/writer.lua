-- wrk script: writers saving a goal's "Förväntat resultat" through the API, one writer
-- per wrk thread with one connection (run with -tN -cN), so that each writer's requests
-- follow one another and its version is the one its last answer gave.
--
--   wrk -t50 -c50 -d60s -s writer.lua URL -- GOALS LOGDIR FIRST TOKENS [shared]
--
-- GOALS is a file with a goal id and its version per line (line k for writer k; with
-- "shared", every writer saves the goal on the file's last line). Writer numbers are FIRST, FIRST+1, …
-- TOKENS is "token1,token2,…"; writer k uses token k mod n.
--
-- A writer saves "writer W save N" with the version it knows and takes the new version
-- from the answer. After a 409 (someone else saved first), any other answer or a lost
-- connection it reads the plan (GET /api/v1/units/{unit}/plans/{year}, UNIT and YEAR from
-- the environment) and takes the goal's version from there.
--
-- Each writer logs to LOGDIR/writer-W.log, line-buffered, so that what wrk stops in the
-- middle is still there:
--   send N VERSION            before a save is sent
--   ok N SENT RETURNED ECHO   200; RETURNED is the answer's version; ECHO 1 when the
--                             answer carries this save's text
--   conflict N SENT           409
--   fail N STATUS             any other answer to a save
--   read STATUS VERSION       a read of the plan (VERSION "-" when the goal was not found)
-- A "send" without an answer after it is a save whose fate the writer never learnt.

local print_summary = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "summary.lua")

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter - 1)
  table.insert(threads, thread)
end

local writer, goal, token, log
local version = nil   -- the goal's version as this writer last learnt it
local pending = nil   -- "save" or "read": the request on the wire
local save = 0        -- this writer's last save number
local plan_path = nil
local marker = nil

function init(args)
  local goals = {}
  for line in io.lines(args[1]) do
    local id, v = line:match("(%d+)%s+(%d+)")
    if id then table.insert(goals, { id = id, version = v }) end
  end
  local first = tonumber(args[3])
  local tokens = {}
  for t in args[4]:gmatch("[^,]+") do table.insert(tokens, t) end
  writer = first + index
  local g = (args[5] == "shared") and goals[#goals] or goals[index + 1]
  goal, version = g.id, g.version
  token = tokens[(writer % #tokens) + 1]
  plan_path = "/api/v1/units/" .. os.getenv("UNIT") .. "/plans/" .. os.getenv("YEAR")
  log = io.open(args[2] .. "/writer-" .. writer .. ".log", "w")
  log:setvbuf("line")
  log:write("writer ", writer, " goal ", goal, "\n")
end

local function headers(json)
  local h = { ["Authorization"] = "Bearer " .. token }
  if json then h["Content-Type"] = "application/json" end
  return h
end

function request()
  if pending == "save" then
    -- The connection was lost before the answer: what happened is unknown.
    version = nil
  end
  if version == nil then
    pending = "read"
    return wrk.format("GET", plan_path, headers(false))
  end
  save = save + 1
  marker = "writer " .. writer .. " save " .. save
  pending = "save"
  log:write("send ", save, " ", version, "\n")
  local body = '{"version":' .. version ..
    ',"sections":[{"key":"expected_result","text":"' .. marker .. '"}]}'
  return wrk.format("PATCH", "/api/v1/goals/" .. goal, headers(true), body)
end

function response(status, hdrs, body)
  if pending == "read" then
    local v = nil
    if status == 200 and body then
      local at = body:find('{"id":' .. goal .. ',"level":', 1, true)
      if at then v = body:match('"version":(%d+)', at) end
    end
    log:write("read ", status, " ", v or "-", "\n")
    version = v
  elseif pending == "save" then
    local sent = version
    if status == 200 then
      local returned = body and body:match('^{"id":%d+,"version":(%d+)')
      local echo = (body and body:find('"text":"' .. marker .. '"', 1, true)) and 1 or 0
      log:write("ok ", save, " ", sent, " ", returned or "-", " ", echo, "\n")
      version = returned
    elseif status == 409 then
      log:write("conflict ", save, " ", sent, "\n")
      version = nil
    else
      log:write("fail ", save, " ", status, "\n")
      version = nil
    end
  end
  pending = nil
end

function done(summary, latency, requests)
  print_summary(summary, latency)
end
