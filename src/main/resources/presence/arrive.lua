-- ARGV: P, room, identity, connection
if redis.call('HGET', key(ARGV[2], 'conns'), ARGV[4]) ~= ARGV[3] then return 'NO_PLACE' end
if redis.call('SADD', key(ARGV[2], 'told'), ARGV[3]) == 0 then return 'ALREADY_JOINED' end
return 'JOINED'
