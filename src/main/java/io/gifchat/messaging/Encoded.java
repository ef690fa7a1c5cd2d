package io.gifchat.messaging;

import io.gifchat.stomp.StompEncoder;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.socket.WebSocketMessage;

/** A server frame already encoded for one connection (CONNECTED, RECEIPT, ERROR) or a heart-beat: UTF-8 text. */
record Encoded(byte[] bytes) implements Outbound.Item {

    static final Encoded HEARTBEAT = new Encoded(StompEncoder.heartbeat());

    @Override
    public int size() {
        return bytes.length;
    }

    @Override
    public WebSocketMessage message(DataBufferFactory buffers) {
        return new WebSocketMessage(WebSocketMessage.Type.TEXT, buffers.wrap(bytes));
    }
}
