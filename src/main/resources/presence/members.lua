-- ARGV: P, room. Identity JSONs, longest present first.
local ids = redis.call('ZRANGE', key(ARGV[2], 'order'), 0, -1)
if #ids == 0 then return {} end
return redis.call('HMGET', key(ARGV[2], 'who'), unpack(ids))
