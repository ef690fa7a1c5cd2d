package io.gifchat.web;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The header-read deadline of one HTTP connection. Reactor Netty's idle timeout restarts with every byte, so a
 * client sending a header a byte at a time holds a connection (and its decoder's buffer) for as long as it likes.
 * Here the clock starts at a request's first byte and stops when the codec has decoded its headers; past the
 * deadline the client gets 408 and the connection closes. Two handlers share the state: one before the HTTP codec
 * sees that bytes arrived, one after it sees the decoded request and the end of the response. A connection upgraded
 * to WebSocket (101) has no more HTTP requests: both handlers leave its pipeline.
 */
final class HeaderDeadline {

    private enum State { IDLE, HEADERS, REQUEST, UPGRADED }

    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutMillis;
    // Touched only on the channel's event loop.
    private State state = State.IDLE;
    private ScheduledFuture<?> timer;
    final Bytes bytes = new Bytes();
    final Messages messages = new Messages();

    HeaderDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Before the codec: the first byte of a request starts the clock. */
    final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == State.IDLE && msg instanceof ByteBuf buffer && buffer.isReadable()) {
                state = State.HEADERS;
                timer = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        private void expire(ChannelHandlerContext ctx) {
            if (state == State.HEADERS) {
                // Written from here, in front of the codec, as raw bytes: the codec has no request to answer.
                ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** After the codec: a decoded request stops the clock; the end of its response makes the connection idle. */
    final class Messages extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest && state != State.UPGRADED) {
                state = State.REQUEST;
                cancel();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
                state = State.UPGRADED;
                cancel();
                ctx.pipeline().remove(bytes);
                ctx.pipeline().remove(this);
            } else if (msg instanceof LastHttpContent && state == State.REQUEST) {
                state = State.IDLE;
            }
            ctx.write(msg, promise);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
