-- GET /requests?category=... cycling through the three categories: the ticket list's first
-- page (default limit) as the console and integrations ask for it. The API token comes from
-- the environment: BENCH_TOKEN=<secret> wrk -s list_by_category.lua URL
local categories = { "technical", "billing", "general" }
local counter = 0

function init(args)
    local token = os.getenv("BENCH_TOKEN")
    if token == nil or token == "" then
        error("set BENCH_TOKEN to an API token with the scope tickets:read")
    end
    wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
    counter = counter + 1
    return wrk.format("GET", "/requests?category=" .. categories[counter % 3 + 1])
end
