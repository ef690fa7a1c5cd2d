package io.gifchat.messaging;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The live, CONNECTED connections by identity, enforcing the per-identity limit. Each identity's connections are a
 * small array replaced under the map's per-key lock: cheaper for an idle connection than a concurrent set.
 */
@Component
public class Connections {

    private final ConcurrentHashMap<String, Connection[]> byIdentity = new ConcurrentHashMap<>();
    private final int maxPerIdentity;

    Connections(StompProperties properties) {
        this.maxPerIdentity = properties.maxConnectionsPerIdentity();
    }

    /** @return false when the identity already has the maximum number of connections */
    boolean add(Connection connection) {
        boolean[] added = {false};
        byIdentity.compute(connection.user(), (id, current) -> {
            Connection[] now = current == null ? new Connection[0] : current;
            if (now.length >= maxPerIdentity || Arrays.asList(now).contains(connection)) {
                return current;
            }
            Connection[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = connection;
            added[0] = true;
            return next;
        });
        return added[0];
    }

    void remove(Connection connection) {
        byIdentity.computeIfPresent(connection.user(), (id, current) -> {
            Connection[] next = Arrays.stream(current).filter(c -> c != connection).toArray(Connection[]::new);
            return next.length == 0 ? null : next;
        });
    }

    public List<Connection> of(String identityId) {
        Connection[] current = byIdentity.get(identityId);
        return current == null ? List.of() : List.of(current);
    }

    /** Every CONNECTED connection right now. */
    List<Connection> all() {
        return byIdentity.values().stream().flatMap(Arrays::stream).toList();
    }

    public int count() {
        return byIdentity.values().stream().mapToInt(c -> c.length).sum();
    }
}
