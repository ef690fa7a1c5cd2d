-- ARGV: P, room, identity, identity JSON, connection, max, now
local room, id, json, conn, max, now = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local ban = redis.call('ZSCORE', key(room, 'bans'), id)
if ban and tonumber(ban) > now then return 'BANNED' end
if redis.call('ZSCORE', key(room, 'order'), id) then
  if redis.call('ZREM', key(room, 'left'), id) == 1 then redis.call('ZREM', P .. 'due', room .. '\n' .. id) end
  if redis.call('HSETNX', key(room, 'conns'), conn, id) == 1 then redis.call('HINCRBY', key(room, 'tabs'), id, 1) end
  redis.call('SADD', nodeKey(conn), room .. '\n' .. conn)
  return 'ALREADY_PRESENT'
end
if redis.call('ZCARD', key(room, 'order')) >= max then return 'FULL' end
redis.call('ZADD', key(room, 'order'), redis.call('INCR', P .. 'entries'), id)
redis.call('HSET', key(room, 'who'), id, json)
redis.call('HSET', key(room, 'conns'), conn, id)
redis.call('HSET', key(room, 'tabs'), id, 1)
redis.call('SREM', key(room, 'told'), id)
redis.call('ZREM', P .. 'empty', room)
redis.call('SADD', nodeKey(conn), room .. '\n' .. conn)
return 'ENTERED'
