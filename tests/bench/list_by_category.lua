-- GET /requests?category=... cycling through the three categories: the ticket list's first
-- page (default limit) as the console and integrations ask for it.
local categories = { "technical", "billing", "general" }
local counter = 0

function request()
    counter = counter + 1
    return wrk.format("GET", "/requests?category=" .. categories[counter % 3 + 1])
end
