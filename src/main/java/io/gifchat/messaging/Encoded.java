package io.gifchat.messaging;

import io.gifchat.stomp.StompEncoder;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * An encoded STOMP frame, or a heart-beat, on its way to one connection. MESSAGE frames are shared by all
 * subscribers of a publish with the same subscription id: they are wrapped, never copied, until the WebSocket
 * encoder writes them out. Text unless a MESSAGE body is not UTF-8 (text frames must be).
 */
record Encoded(byte[] bytes, boolean text) {

    static final Encoded HEARTBEAT = new Encoded(StompEncoder.heartbeat(), true);

    int size() {
        return bytes.length;
    }

    WebSocketFrame frame() {
        return text ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))
                : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes));
    }
}
