package io.gifchat.messaging;

import io.gifchat.stomp.StompEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * An encoded STOMP frame, or a heart-beat, on its way to one connection. MESSAGE frames are shared by all
 * subscribers of a publish with the same subscription id; each is copied once, into the WebSocket frame written
 * to the socket. Text unless a MESSAGE body is not UTF-8 (text frames must be).
 */
record Encoded(byte[] bytes, boolean text) {

    static final Encoded HEARTBEAT = new Encoded(StompEncoder.heartbeat(), true);

    private static final int FIN = 0x80;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;

    int size() {
        return bytes.length;
    }

    /**
     * The whole WebSocket frame (RFC 6455 §5.2: FIN, opcode, unmasked payload length, payload) in one buffer.
     * Written as bytes, it passes Netty's WebSocket encoder untouched: one allocation and one copy per delivery
     * instead of a frame object, a wrapper buffer and the encoder's own copy. Valid because the endpoint
     * negotiates no extension (no permessage-deflate) that would change how frames are written.
     */
    ByteBuf frame(ByteBufAllocator allocator) {
        int length = bytes.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf frame = allocator.directBuffer(header + length);
        frame.writeByte(FIN | (text ? TEXT : BINARY));
        if (length < 126) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126).writeShort(length);
        } else {
            frame.writeByte(127).writeLong(length);
        }
        return frame.writeBytes(bytes);
    }
}
