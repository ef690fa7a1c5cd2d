-- ARGV: P, deadline, now. Exits whose leave-grace passed: released here, so each goes to exactly one node.
-- Returns room, identity JSON, left at; repeated.
local out = {}
local deadline = tonumber(ARGV[2])
for _, member in ipairs(redis.call('ZRANGEBYSCORE', P .. 'due', '-inf', ARGV[2], 'LIMIT', 0, 500)) do
  local room, id = string.match(member, '^([^\n]*)\n(.*)$')
  redis.call('ZREM', P .. 'due', member)
  local left = redis.call('ZSCORE', key(room, 'left'), id)
  if left and tonumber(left) <= deadline then
    local json = redis.call('HGET', key(room, 'who'), id)
    release(room, id, tonumber(ARGV[3]))
    if json then
      table.insert(out, room); table.insert(out, json); table.insert(out, left)
    end
  end
end
return out
