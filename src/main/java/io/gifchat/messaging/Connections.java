package io.gifchat.messaging;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/** The live, CONNECTED connections by identity, enforcing the per-identity limit. */
@Component
public class Connections {

    private final ConcurrentHashMap<String, Set<Connection>> byIdentity = new ConcurrentHashMap<>();
    private final int maxPerIdentity;

    Connections(StompProperties properties) {
        this.maxPerIdentity = properties.maxConnectionsPerIdentity();
    }

    /** @return false when the identity already has the maximum number of connections */
    boolean add(Connection connection) {
        boolean[] added = {false};
        byIdentity.compute(connection.user(), (id, set) -> {
            Set<Connection> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (s.size() < maxPerIdentity) {
                added[0] = s.add(connection);
            }
            return s.isEmpty() ? null : s;
        });
        return added[0];
    }

    void remove(Connection connection) {
        byIdentity.computeIfPresent(connection.user(), (id, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    public List<Connection> of(String identityId) {
        Set<Connection> set = byIdentity.get(identityId);
        return set == null ? List.of() : List.copyOf(set);
    }

    /** Every CONNECTED connection right now. */
    List<Connection> all() {
        return byIdentity.values().stream().flatMap(Set::stream).toList();
    }

    public int count() {
        return byIdentity.values().stream().mapToInt(Set::size).sum();
    }
}
