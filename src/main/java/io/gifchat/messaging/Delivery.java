package io.gifchat.messaging;

import io.gifchat.stomp.MessageTemplate;
import io.gifchat.stomp.StompVersion;
import io.netty.buffer.Unpooled;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.reactive.socket.WebSocketMessage;

/**
 * A MESSAGE for one subscription: the publish's shared, pre-encoded head and tail around this subscription's own
 * pre-encoded {@code subscription:} line. Nothing is encoded or copied per subscriber: on Netty the three arrays are
 * wrapped as one composite buffer, which the WebSocket encoder copies once into the outgoing frame.
 */
record Delivery(MessageTemplate message, byte[] line, StompVersion version) implements Outbound.Item {

    @Override
    public int size() {
        return message.head(version).length + line.length + message.tail().length;
    }

    /** Text when the body is UTF-8 (always, for the app's JSON); binary otherwise: text frames must be UTF-8. */
    @Override
    public WebSocketMessage message(DataBufferFactory buffers) {
        byte[] head = message.head(version);
        byte[] tail = message.tail();
        var buffer = buffers instanceof NettyDataBufferFactory netty
                ? netty.wrap(Unpooled.wrappedBuffer(head, line, tail))
                : buffers.allocateBuffer(head.length + line.length + tail.length).write(head).write(line).write(tail);
        return new WebSocketMessage(message.isUtf8() ? WebSocketMessage.Type.TEXT : WebSocketMessage.Type.BINARY, buffer);
    }
}
