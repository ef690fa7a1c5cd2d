package io.gifchat.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbound queue against a channel whose writability the test controls. */
class OutboundTest {

    final EmbeddedChannel channel = new EmbeddedChannel();
    final Outbound outbound = new Outbound(channel, 3, 1024);

    OutboundTest() {
        channel.pipeline().addLast(outbound);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    static Encoded text(String s) {
        return new Encoded(s.getBytes(StandardCharsets.UTF_8), true);
    }

    void writable(boolean writable) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        channel.runPendingTasks();
    }

    /** Each written WebSocket frame as "opcode:payload". */
    List<String> written() {
        List<String> frames = new ArrayList<>();
        ByteBuf frame;
        while ((frame = channel.readOutbound()) != null) {
            int opcode = frame.readByte() & 0x0F;
            int length = frame.readByte();
            assertThat(frame.readableBytes()).isEqualTo(length);
            frames.add(opcode + ":" + frame.toString(StandardCharsets.UTF_8));
            frame.release();
        }
        return frames;
    }

    @Test
    void queuedFramesAreWrittenInOrderAsWebSocketFrames() {
        assertThat(outbound.offer(text("a"))).isTrue();
        assertThat(outbound.offer(new Encoded(new byte[] {'b'}, false))).isTrue();
        assertThat(outbound.offer(text("c"))).isTrue();

        channel.runPendingTasks();

        assertThat(written()).containsExactly("1:a", "2:b", "1:c");
    }

    @Test
    void whileTheChannelIsNotWritableTheBacklogStaysHereAndCountsAgainstTheBounds() {
        writable(false);
        assertThat(outbound.offer(text("a"))).isTrue();
        assertThat(outbound.offer(text("b"))).isTrue();
        assertThat(outbound.offer(text("c"))).isTrue();
        assertThat(outbound.offer(text("d"))).as("a fourth frame exceeds the bound of 3").isFalse();
        channel.runPendingTasks();
        assertThat(written()).isEmpty();

        writable(true);

        assertThat(written()).containsExactly("1:a", "1:b", "1:c");
        assertThat(outbound.offer(text("e"))).as("the bound is free again once written").isTrue();
        channel.runPendingTasks();
        assertThat(written()).containsExactly("1:e");
    }

    @Test
    void aByteBoundRefusesWhatWouldNotFit() {
        assertThat(outbound.offer(new Encoded(new byte[1000], true))).isTrue();
        assertThat(outbound.offer(new Encoded(new byte[100], true))).isFalse();
    }

    @Test
    void aLongBacklogIsWrittenInOrderInSeveralPassesAndLeavesTheBounds() {
        Outbound roomy = new Outbound(channel, 5000, 1 << 20);
        for (int i = 0; i < 3000; i++) {
            assertThat(roomy.offer(text(Integer.toString(i)))).isTrue();
        }

        channel.runPendingTasks();

        List<String> frames = written();
        assertThat(frames).hasSize(3000);
        for (int i = 0; i < 3000; i++) {
            assertThat(frames.get(i)).isEqualTo("1:" + i);
        }
        for (int i = 0; i < 5000; i++) {
            assertThat(roomy.offer(text("x"))).as("nothing written still counts: offer %d", i).isTrue();
        }
    }

    @Test
    void afterTheLastFrameAPeerThatDoesNotReadIsDroppedAfterAGracePeriod() {
        writable(false);
        outbound.finish(text("ERROR"));
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(5, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void finishingWhileParkedStillWritesEverythingAndTheLastFrame() {
        writable(false);
        outbound.offer(text("a"));
        channel.runPendingTasks();

        outbound.finish(text("bye"));
        channel.runPendingTasks();

        assertThat(outbound.written().block(Duration.ofSeconds(1))).isNull();
        assertThat(written()).containsExactly("1:a", "1:bye");
        assertThat(outbound.offer(text("late"))).as("ignored after the end").isTrue();
        channel.runPendingTasks();
        assertThat(written()).isEmpty();
    }
}
