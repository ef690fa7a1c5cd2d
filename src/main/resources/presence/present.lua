-- ARGV: P, room, identity, now, the epoch key, the epoch the asking node last put its places back under.
-- 1: present through a connection. 0: not present. -1: Redis cannot tell: it lost its data since the asking node
-- put its places back (the epoch differs), or it does not know the room at all; the asking node's own record decides.
local room, id = ARGV[2], ARGV[3]
if tonumber(redis.call('HGET', key(room, 'tabs'), id) or '0') > 0 then return 1 end
if ARGV[6] ~= '' and redis.call('GET', ARGV[5]) ~= ARGV[6] then return -1 end
if redis.call('EXISTS', key(room, 'gone')) == 1 then return 0 end
local ban = redis.call('ZSCORE', key(room, 'bans'), id)
if ban and tonumber(ban) > tonumber(ARGV[4]) then return 0 end
if redis.call('EXISTS', key(room, 'order')) == 1 then return 0 end
return -1
