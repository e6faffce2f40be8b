-- POST /requests with a different body every time, so nothing can be served from a cache or
-- deduplicated. The prefix keeps bodies unique across runs on the same database too.
local counter = 0
local prefix = ""
local headers = { ["Content-Type"] = "application/json" }

function init(args)
    math.randomseed(os.time())
    prefix = string.format("%d-%d", os.time(), math.random(1, 1000000000))
end

function request()
    counter = counter + 1
    local body = string.format(
        '{"subject":"Benchmark ticket %s-%d","body":"Since the update on %d the sync client '
            .. 'fails with error E%d after %d minutes. Reference %s-%d."}',
        prefix, counter, counter % 28 + 1, counter % 9973, counter % 60 + 1, prefix, counter)
    return wrk.format("POST", "/requests", headers, body)
end
