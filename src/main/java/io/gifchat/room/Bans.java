package io.gifchat.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** Who was kicked from which room, until when. In memory: a restart lifts the bans (see the README). */
@Component
class Bans {

    private final Map<String, Instant> until = new ConcurrentHashMap<>();
    private final Clock clock;

    Bans(Clock clock) {
        this.clock = clock;
    }

    /** @return when the ban ends */
    Instant ban(String roomId, String identityId, Duration length) {
        Instant end = clock.instant().plus(length);
        until.put(key(roomId, identityId), end);
        return end;
    }

    boolean isBanned(String roomId, String identityId) {
        String key = key(roomId, identityId);
        Instant end = until.get(key);
        if (end == null) {
            return false;
        }
        if (!end.isAfter(clock.instant())) {
            until.remove(key, end);
            return false;
        }
        return true;
    }

    void forget(String roomId) {
        until.keySet().removeIf(key -> key.startsWith(roomId + "/"));
    }

    private static String key(String roomId, String identityId) {
        return roomId + "/" + identityId;
    }
}
