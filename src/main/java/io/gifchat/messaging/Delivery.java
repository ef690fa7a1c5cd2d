package io.gifchat.messaging;

import io.gifchat.stomp.MessageTemplate;
import io.gifchat.stomp.StompVersion;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.socket.WebSocketMessage;

/** A MESSAGE for one subscription: the shared pre-encoded frame plus this subscription's header line. */
record Delivery(MessageTemplate message, String subscriptionId, StompVersion version) implements Outbound.Item {

    // "subscription:" + id + "\n"; ids needing escapes are rare and only a little longer, within the bound's slack.
    private static final int SUBSCRIPTION_LINE_OVERHEAD = 14;

    @Override
    public int size() {
        return message.head(version).length + message.tail().length + subscriptionId.length() + SUBSCRIPTION_LINE_OVERHEAD;
    }

    /**
     * A text WebSocket frame when the body is UTF-8 (always, for the app's JSON), binary otherwise: a text frame
     * must be valid UTF-8 or browsers drop the connection.
     */
    @Override
    public WebSocketMessage message(DataBufferFactory buffers) {
        byte[] head = message.head(version);
        byte[] line = MessageTemplate.subscriptionLine(subscriptionId, version);
        byte[] tail = message.tail();
        var buffer = buffers.allocateBuffer(head.length + line.length + tail.length).write(head).write(line).write(tail);
        return new WebSocketMessage(Utf8.isValid(tail) ? WebSocketMessage.Type.TEXT : WebSocketMessage.Type.BINARY, buffer);
    }
}
