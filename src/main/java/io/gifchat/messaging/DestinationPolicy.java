package io.gifchat.messaging;

import reactor.core.publisher.Mono;

/**
 * Who may SUBSCRIBE to, and SEND to, the destinations this policy covers. Everything no policy covers is refused:
 * clients reach only what the application opened to them. Deny by returning a {@link StompDeniedException} error.
 */
public interface DestinationPolicy {

    boolean covers(String destination);

    default Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        return Mono.error(new StompDeniedException("not allowed to subscribe to " + destination));
    }

    default Mono<Void> authorizeSend(Connection connection, String destination) {
        return Mono.error(new StompDeniedException("not allowed to send to " + destination));
    }
}
