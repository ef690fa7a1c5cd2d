package io.gifchat.chat;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Chat messages.
 *
 * @param maxLength  longest message, in characters (Unicode code points), after trimming
 * @param rateLimit  messages (and whispers) one identity may send within {@code rateWindow}, across all its tabs
 * @param rateWindow the window in which {@code rateLimit} refills
 * @param pageSize   messages per history page ({@code ?before=} / {@code ?after=}); at most 200
 * @param laneCapacity  lines that may wait in one room's log while another is being stored; one more is refused
 *                      ("the room is busy") instead of queued without end
 * @param appendTimeout longest a sender waits for its line to be stored and published (queue and store
 *                      together); past it the sender is told to try again, and a line still waiting is dropped
 */
@ConfigurationProperties("gifchat.chat")
public record ChatProperties(
        @DefaultValue("2000") int maxLength,
        @DefaultValue("20") int rateLimit,
        @DefaultValue("10s") Duration rateWindow,
        @DefaultValue("50") int pageSize,
        @DefaultValue("256") int laneCapacity,
        @DefaultValue("5s") Duration appendTimeout) {
}
