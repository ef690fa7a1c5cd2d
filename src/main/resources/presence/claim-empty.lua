-- ARGV: P, deadline. Rooms empty since before the deadline, each handed to exactly one node (which deletes it).
local out = {}
for _, room in ipairs(redis.call('ZRANGEBYSCORE', P .. 'empty', '-inf', '(' .. ARGV[2], 'LIMIT', 0, 100)) do
  redis.call('ZREM', P .. 'empty', room)
  if redis.call('ZCARD', key(room, 'order')) == 0 then table.insert(out, room) end
end
return out
