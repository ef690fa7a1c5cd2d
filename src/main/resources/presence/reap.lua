-- ARGV: P, node, now, hold (1/0), then the connections the node still has ("<room>\n<node>/<connection>"; none for
-- a dead node). Ends every connection of the node's set that is not among them, as if it had left (held for the
-- leave-grace when hold). Returns room, identity JSON, left at for each exit to announce now.
local nodeSet = P .. 'node:' .. ARGV[2]
local keep = {}
for i = 5, #ARGV do keep[ARGV[i]] = true end
local out = {}
for _, member in ipairs(redis.call('SMEMBERS', nodeSet)) do
  if not keep[member] then
    local room, conn = string.match(member, '^([^\n]*)\n(.*)$')
    local id = redis.call('HGET', key(room, 'conns'), conn)
    if id then
      local json = redis.call('HGET', key(room, 'who'), id)
      if leave(room, conn, id, ARGV[4] == '1', tonumber(ARGV[3])) == 'LEFT' and json then
        table.insert(out, room); table.insert(out, json); table.insert(out, ARGV[3])
      end
    else
      redis.call('SREM', nodeSet, member)
    end
  end
end
if #ARGV < 5 then redis.call('DEL', nodeSet) end
return out
