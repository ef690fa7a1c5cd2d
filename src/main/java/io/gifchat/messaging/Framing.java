package io.gifchat.messaging;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How an {@link Outbound} writes one encoded frame on its channel: the only thing the carriers differ in. The queue,
 * its bounds, the slow-consumer cut and the writability parking are the same for a WebSocket and an event stream.
 */
@FunctionalInterface
interface Framing {

    /** A WebSocket frame per STOMP frame (text unless a MESSAGE body is not UTF-8). */
    Framing WEBSOCKET = Encoded::frame;

    /** The bytes to write for {@code item}, in one buffer the channel takes over. */
    ByteBuf frame(Encoded item, ByteBufAllocator allocator);
}
