-- ARGV: P, room, connection, identity, hold (1/0), now
return leave(ARGV[2], ARGV[3], ARGV[4], ARGV[5] == '1', tonumber(ARGV[6]))
