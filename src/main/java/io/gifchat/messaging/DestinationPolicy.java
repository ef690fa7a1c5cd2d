package io.gifchat.messaging;

import reactor.core.publisher.Mono;

/**
 * Who may SUBSCRIBE to, and SEND to, the destinations this policy covers: a narrow interface that feature modules
 * implement and messaging asks (it needs the answer before it can go on). Everything no policy covers is refused:
 * clients reach only what the application opened to them. Deny with a {@link io.gifchat.domain.Refusal} error:
 * the client gets an ERROR with its message and the connection closes.
 */
public interface DestinationPolicy {

    boolean covers(String destination);

    default Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        return Mono.error(new StompDeniedException("not allowed to subscribe to " + destination));
    }

    default Mono<Void> authorizeSend(Connection connection, String destination) {
        return Mono.error(new StompDeniedException("not allowed to send to " + destination));
    }

    /**
     * What a SEND here does: by default, once allowed, it relays the client's frame as it came (plain pub/sub). A
     * policy for a destination whose messages the server must write itself (who is typing is the server's to
     * say, not the client's) publishes its own, or nothing, instead of {@code relay}.
     */
    default Mono<Void> send(Connection connection, String destination, Mono<Void> relay) {
        return authorizeSend(connection, destination).then(relay);
    }
}
