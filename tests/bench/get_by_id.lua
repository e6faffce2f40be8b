-- GET /requests/{id} for ids drawn uniformly from 1..N (N = first script argument), so the whole
-- table is read, not one hot row. A fixed seed makes runs comparable. The API token comes from
-- the environment; headers given with -H are sent too:
--   BENCH_TOKEN=<secret> wrk -s get_by_id.lua URL -- N
local maxId = 1000000

function init(args)
    local token = os.getenv("BENCH_TOKEN")
    if token == nil or token == "" then
        error("set BENCH_TOKEN to an API token with the scope tickets:read")
    end
    wrk.headers["Authorization"] = "Bearer " .. token
    if args[1] ~= nil then
        maxId = tonumber(args[1])
    end
    math.randomseed(20240601)
end

function request()
    return wrk.format("GET", "/requests/" .. math.random(1, maxId))
end
