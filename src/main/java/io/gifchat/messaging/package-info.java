/**
 * STOMP over WebSocket on the WebFlux server: the {@code /ws} route, one connection's state and bounded outbound
 * queue, heart-beats, limits, routing of {@code /app/...} SENDs to {@link io.gifchat.messaging.AppHandler}s and of
 * SUBSCRIBE/SEND to {@link io.gifchat.messaging.DestinationPolicy} beans, and the typed JSON events on the wire
 * ({@link io.gifchat.messaging.Wire}). Knows no room, chat or GIF: it announces what happens to connections and
 * subscriptions ({@link io.gifchat.messaging.ConnectionEvents}) and feature modules listen.
 */
@ApplicationModule(displayName = "Messaging (STOMP endpoint)",
        allowedDependencies = {"stomp", "broker", "cluster", "identity", "session", "limits", "domain"})
package io.gifchat.messaging;

import org.springframework.modulith.ApplicationModule;
