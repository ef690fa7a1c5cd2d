-- ARGV: P, room, identity. Its JSON if it is present through a connection, else nil.
if tonumber(redis.call('HGET', key(ARGV[2], 'tabs'), ARGV[3]) or '0') > 0 then
  return redis.call('HGET', key(ARGV[2], 'who'), ARGV[3])
end
return false
