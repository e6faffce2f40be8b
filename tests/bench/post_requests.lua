-- POST /requests with a different body every time, so nothing can be served from a cache or
-- deduplicated. The prefix keeps bodies unique across runs on the same database too. The API
-- token comes from the environment: BENCH_TOKEN=<secret> wrk -s post_requests.lua URL
local counter = 0
local prefix = ""

function init(args)
    local token = os.getenv("BENCH_TOKEN")
    if token == nil or token == "" then
        error("set BENCH_TOKEN to an API token with the scope tickets:write")
    end
    wrk.headers["Authorization"] = "Bearer " .. token
    wrk.headers["Content-Type"] = "application/json"
    math.randomseed(os.time())
    prefix = string.format("%d-%d", os.time(), math.random(1, 1000000000))
end

function request()
    counter = counter + 1
    local body = string.format(
        '{"subject":"Benchmark ticket %s-%d","body":"Since the update on %d the sync client '
            .. 'fails with error E%d after %d minutes. Reference %s-%d."}',
        prefix, counter, counter % 28 + 1, counter % 9973, counter % 60 + 1, prefix, counter)
    return wrk.format("POST", "/requests", nil, body)
end
