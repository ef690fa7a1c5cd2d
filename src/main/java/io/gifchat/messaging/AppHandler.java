package io.gifchat.messaging;

import java.util.Map;

import io.gifchat.stomp.StompFrame;
import reactor.core.publisher.Mono;

/**
 * Handles SENDs to an application destination such as {@code /app/chat/{roomId}}. The RECEIPT, if the client asked
 * for one, is sent when the returned Mono completes; a {@link StompDeniedException} becomes an ERROR.
 */
public interface AppHandler {

    /** A path pattern under {@code /app}, e.g. {@code /app/chat/{roomId}}. */
    String pattern();

    Mono<Void> handle(Connection connection, Map<String, String> variables, StompFrame frame);
}
