-- Shared by every presence script (prepended to each). Key layout under the prefix P = ARGV[1] ("<ns>:p:"):
--   P r:<room>:order  ZSET identity -> entry number (who entered first)
--   P r:<room>:who    HASH identity -> identity JSON
--   P r:<room>:tabs   HASH identity -> its connections now (0 while in its leave-grace)
--   P r:<room>:conns  HASH "<node>/<connection>" -> identity
--   P r:<room>:told   SET  identities whose join was announced (so their exit will be)
--   P r:<room>:left   ZSET identity -> when its last connection left (in its leave-grace)
--   P r:<room>:bans   ZSET identity -> until when it is banned (ms)
--   P r:<room>:gone   the room was deleted (a tombstone for an hour)
--   P due             ZSET "<room>\n<identity>" -> left at (ms): exits coming due, every room
--   P empty           ZSET room -> since when nobody holds a place (ms)
--   P node:<node>     SET  "<room>\n<node>/<connection>": a node's connections, released when it dies
--   P entries         counter for entry numbers
-- Each script runs atomically: no other node's change comes between its reads and writes.
local P = ARGV[1]
local function key(room, part) return P .. 'r:' .. room .. ':' .. part end
local function nodeKey(conn) return P .. 'node:' .. string.match(conn, '^[^/]+') end

local function release(room, id, now)
  redis.call('ZREM', key(room, 'order'), id)
  redis.call('HDEL', key(room, 'who'), id)
  redis.call('HDEL', key(room, 'tabs'), id)
  redis.call('SREM', key(room, 'told'), id)
  redis.call('ZREM', key(room, 'left'), id)
  redis.call('ZREM', P .. 'due', room .. '\n' .. id)
  local conns = redis.call('HGETALL', key(room, 'conns'))
  for i = 1, #conns, 2 do
    if conns[i + 1] == id then
      redis.call('HDEL', key(room, 'conns'), conns[i])
      redis.call('SREM', nodeKey(conns[i]), room .. '\n' .. conns[i])
    end
  end
  if redis.call('ZCARD', key(room, 'order')) == 0 then
    redis.call('ZADD', P .. 'empty', now, room)
  end
end

-- One connection's subscription ended: STAYS, LEAVING (its place held for the leave-grace), LEFT or VANISHED.
local function leave(room, conn, id, hold, now)
  if redis.call('HGET', key(room, 'conns'), conn) ~= id then return 'STAYS' end
  redis.call('HDEL', key(room, 'conns'), conn)
  redis.call('SREM', nodeKey(conn), room .. '\n' .. conn)
  if redis.call('HINCRBY', key(room, 'tabs'), id, -1) > 0 then return 'STAYS' end
  local told = redis.call('SISMEMBER', key(room, 'told'), id) == 1
  if hold and told then
    redis.call('ZADD', key(room, 'left'), now, id)
    redis.call('ZADD', P .. 'due', now, room .. '\n' .. id)
    return 'LEAVING'
  end
  release(room, id, now)
  if told then return 'LEFT' end
  return 'VANISHED'
end
