-- ARGV: P, room. The JSON of the member present longest through a connection, else nil.
for _, id in ipairs(redis.call('ZRANGE', key(ARGV[2], 'order'), 0, -1)) do
  if tonumber(redis.call('HGET', key(ARGV[2], 'tabs'), id) or '0') > 0 then
    return redis.call('HGET', key(ARGV[2], 'who'), id)
  end
end
return false
