-- GET /requests/{id} for ids drawn uniformly from 1..N (N = first script argument), so the whole
-- table is read, not one hot row. A fixed seed makes runs comparable.
local maxId = 1000000

function init(args)
    if args[1] ~= nil then
        maxId = tonumber(args[1])
    end
    math.randomseed(20240601)
end

function request()
    return wrk.format("GET", "/requests/" .. math.random(1, maxId))
end
