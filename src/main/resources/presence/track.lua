-- ARGV: P, room, now. A room nobody entered yet is empty from now on (unless it is known already).
if redis.call('ZCARD', key(ARGV[2], 'order')) == 0 then
  redis.call('ZADD', P .. 'empty', 'NX', ARGV[3], ARGV[2])
end
return 1
