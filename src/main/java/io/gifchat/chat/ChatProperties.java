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
 */
@ConfigurationProperties("gifchat.chat")
public record ChatProperties(
        @DefaultValue("2000") int maxLength,
        @DefaultValue("20") int rateLimit,
        @DefaultValue("10s") Duration rateWindow,
        @DefaultValue("50") int pageSize) {
}
