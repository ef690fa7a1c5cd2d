package io.gifchat.room;

import io.gifchat.messaging.Connection;
import io.gifchat.messaging.DestinationPolicy;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Anyone may watch the lobby; only the server publishes there. */
@Component
class LobbyAccess implements DestinationPolicy {

    @Override
    public boolean covers(String destination) {
        return RoomTopics.LOBBY.equals(destination);
    }

    @Override
    public Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        return Mono.empty();
    }
}
