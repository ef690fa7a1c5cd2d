-- ARGV: P, room, identity, banned until, now. A kick: the ban and the removal in one step. The identity's JSON,
-- or nil when it held no place (then nothing is banned either).
local room, id = ARGV[2], ARGV[3]
if not redis.call('ZSCORE', key(room, 'order'), id) then return false end
redis.call('ZREMRANGEBYSCORE', key(room, 'bans'), '-inf', ARGV[5])
redis.call('ZADD', key(room, 'bans'), ARGV[4], id)
local json = redis.call('HGET', key(room, 'who'), id)
release(room, id, tonumber(ARGV[5]))
return json
