-- ARGV: P, room, only if empty (1/0). Everything about the room goes.
local room = ARGV[2]
if ARGV[3] == '1' and redis.call('ZCARD', key(room, 'order')) > 0 then return 0 end
local conns = redis.call('HGETALL', key(room, 'conns'))
for i = 1, #conns, 2 do redis.call('SREM', nodeKey(conns[i]), room .. '\n' .. conns[i]) end
for _, id in ipairs(redis.call('ZRANGE', key(room, 'left'), 0, -1)) do
  redis.call('ZREM', P .. 'due', room .. '\n' .. id)
end
redis.call('DEL', key(room, 'order'), key(room, 'who'), key(room, 'tabs'), key(room, 'conns'), key(room, 'told'),
  key(room, 'left'), key(room, 'bans'))
redis.call('ZREM', P .. 'empty', room)
-- A tombstone for an hour: a node still holding a seat in the deleted room (its notice on the way) learns from it
-- that the room is gone, not that Redis forgot it.
if ARGV[3] ~= '1' then redis.call('SET', key(room, 'gone'), '1', 'EX', 3600) end
return 1
