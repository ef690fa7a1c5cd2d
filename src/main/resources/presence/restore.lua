-- ARGV: P, room, identity, identity JSON, connection. Redis lost this place (restarted without persistence, or it
-- was down while the place changed): the node that holds the connection puts it back, as joined (it was announced).
local room, id, json, conn = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if not redis.call('ZSCORE', key(room, 'order'), id) then
  redis.call('ZADD', key(room, 'order'), redis.call('INCR', P .. 'entries'), id)
  redis.call('HSET', key(room, 'who'), id, json)
  redis.call('ZREM', P .. 'empty', room)
end
if redis.call('HSETNX', key(room, 'conns'), conn, id) == 1 then redis.call('HINCRBY', key(room, 'tabs'), id, 1) end
if redis.call('ZREM', key(room, 'left'), id) == 1 then redis.call('ZREM', P .. 'due', room .. '\n' .. id) end
redis.call('SADD', key(room, 'told'), id)
redis.call('SADD', nodeKey(conn), room .. '\n' .. conn)
return 1
