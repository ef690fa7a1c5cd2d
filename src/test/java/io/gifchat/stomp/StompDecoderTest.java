package io.gifchat.stomp;

import static io.gifchat.stomp.StompCommand.ABORT;
import static io.gifchat.stomp.StompCommand.ACK;
import static io.gifchat.stomp.StompCommand.BEGIN;
import static io.gifchat.stomp.StompCommand.COMMIT;
import static io.gifchat.stomp.StompCommand.CONNECT;
import static io.gifchat.stomp.StompCommand.DISCONNECT;
import static io.gifchat.stomp.StompCommand.NACK;
import static io.gifchat.stomp.StompCommand.SEND;
import static io.gifchat.stomp.StompCommand.STOMP;
import static io.gifchat.stomp.StompCommand.SUBSCRIBE;
import static io.gifchat.stomp.StompCommand.UNSUBSCRIBE;
import static io.gifchat.stomp.StompVersion.V1_0;
import static io.gifchat.stomp.StompVersion.V1_1;
import static io.gifchat.stomp.StompVersion.V1_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StompDecoderTest {

    /** Small limits so the limit cases stay readable. */
    private static final StompLimits SMALL = new StompLimits(100, 4, 30);

    /** A decoder input and what must come out of it: frames and heart-beats, or an error after some frames. */
    record Case(StompVersion version, StompLimits limits, byte[] input, List<StompFrame> frames, long heartbeats,
                String error) {
    }

    static Stream<Arguments> goodCases() {
        return Stream.of(
                good("CONNECT without headers", V1_0, "CONNECT\n\n\0", frame(CONNECT)),
                good("STOMP with accept-version and host", V1_0,
                        "STOMP\naccept-version:1.1,1.2\nhost:chat\n\n\0",
                        frame(STOMP, "accept-version", "1.1,1.2", "host", "chat")),
                good("CONNECT without host is accepted", V1_0, "CONNECT\naccept-version:1.2\n\n\0",
                        frame(CONNECT, "accept-version", "1.2")),
                good("SEND with body up to NUL", V1_2, "SEND\ndestination:/topic/a\n\nhello\0",
                        frame(SEND, "hello", "destination", "/topic/a")),
                good("SUBSCRIBE", V1_2, "SUBSCRIBE\nid:0\ndestination:/topic/a\nack:auto\n\n\0",
                        frame(SUBSCRIBE, "id", "0", "destination", "/topic/a", "ack", "auto")),
                good("SUBSCRIBE without id in 1.0", V1_0, "SUBSCRIBE\ndestination:/topic/a\n\n\0",
                        frame(SUBSCRIBE, "destination", "/topic/a")),
                good("UNSUBSCRIBE", V1_2, "UNSUBSCRIBE\nid:0\n\n\0", frame(UNSUBSCRIBE, "id", "0")),
                good("UNSUBSCRIBE by destination in 1.0", V1_0, "UNSUBSCRIBE\ndestination:/topic/a\n\n\0",
                        frame(UNSUBSCRIBE, "destination", "/topic/a")),
                good("ACK in 1.2 needs only id", V1_2, "ACK\nid:12\n\n\0", frame(ACK, "id", "12")),
                good("ACK in 1.1 with message-id and subscription", V1_1, "ACK\nmessage-id:12\nsubscription:0\n\n\0",
                        frame(ACK, "message-id", "12", "subscription", "0")),
                good("NACK", V1_2, "NACK\nid:12\n\n\0", frame(NACK, "id", "12")),
                good("BEGIN COMMIT ABORT", V1_2,
                        "BEGIN\ntransaction:t\n\n\0COMMIT\ntransaction:t\n\n\0ABORT\ntransaction:u\n\n\0",
                        frame(BEGIN, "transaction", "t"), frame(COMMIT, "transaction", "t"),
                        frame(ABORT, "transaction", "u")),
                good("DISCONNECT with receipt", V1_2, "DISCONNECT\nreceipt:77\n\n\0",
                        frame(DISCONNECT, "receipt", "77")),
                good("CR LF line endings", V1_2, "SEND\r\ndestination:/a\r\nx:y\r\n\r\nbody\0",
                        frame(SEND, "body", "destination", "/a", "x", "y")),
                good("CR LF line endings in 1.0 too", V1_0, "SEND\r\ndestination:/a\r\n\r\n\0",
                        frame(SEND, "destination", "/a")),
                good("1.0 does not unescape", V1_0, "SEND\ndestination:/a\\nb\\t\n\n\0",
                        frame(SEND, "destination", "/a\\nb\\t")),
                good("1.1 unescapes LF, colon and backslash", V1_1, "SEND\ndestination:/a\\nb\\cc\\\\d\n\n\0",
                        frame(SEND, "destination", "/a\nb:c\\d")),
                good("1.2 also unescapes CR", V1_2, "SEND\ndestination:a\\rb\nn\\c\\r:v\n\n\0",
                        frame(SEND, "destination", "a\rb", "n:\r", "v")),
                good("CONNECT is never unescaped", V1_2, "CONNECT\nlogin:a\\cb\npasscode:x\\ty\n\n\0",
                        frame(CONNECT, "login", "a\\cb", "passcode", "x\\ty")),
                good("repeated header: all kept, first wins", V1_2,
                        "SEND\ndestination:/first\ndestination:/second\n\n\0",
                        frame(SEND, "destination", "/first", "destination", "/second")),
                good("raw colon after the first stays in the value", V1_2, "SEND\ndestination:/a\nx:y:z\n\n\0",
                        frame(SEND, "destination", "/a", "x", "y:z")),
                good("empty header value", V1_2, "SEND\ndestination:/a\nreceipt:\n\n\0",
                        frame(SEND, "destination", "/a", "receipt", "")),
                good("content-length body may contain NUL", V1_2,
                        "SEND\ndestination:/a\ncontent-length:5\n\na\0b\0c\0",
                        frame(SEND, "a\0b\0c", "destination", "/a", "content-length", "5")),
                good("content-length with blanks", V1_2, "SEND\ndestination:/a\ncontent-length: 2 \n\nab\0",
                        frame(SEND, "ab", "destination", "/a", "content-length", " 2 ")),
                good("content-length 0 on a frame without body", V1_2,
                        "SUBSCRIBE\nid:1\ndestination:/a\ncontent-length:0\n\n\0",
                        frame(SUBSCRIBE, "id", "1", "destination", "/a", "content-length", "0")),
                good("UTF-8 header and body", V1_2, "SEND\ndestination:/räume/🎉\n\nété\0",
                        frame(SEND, "été", "destination", "/räume/🎉")),
                good("several frames in one buffer", V1_2,
                        "SEND\ndestination:/a\n\n1\0SEND\ndestination:/b\n\n2\0DISCONNECT\n\n\0",
                        frame(SEND, "1", "destination", "/a"), frame(SEND, "2", "destination", "/b"),
                        frame(DISCONNECT)),
                goodWithHeartbeats("heart-beats before, between and after frames", V1_2,
                        "\n\r\nSEND\ndestination:/a\n\n\0\n\nDISCONNECT\n\n\0\r\n", 5,
                        frame(SEND, "destination", "/a"), frame(DISCONNECT)),
                goodWithHeartbeats("heart-beats only", V1_2, "\n\n\r\n\n", 4),
                goodWithLimits("exactly at every limit", SMALL,
                        // 4 headers, a 30-byte header line, 100 frame bytes (NUL not counted)
                        "SEND\ndestination:/a\na:" + "x".repeat(28) + "\nb:1\nc:2\n\n" + "y".repeat(40) + "\0",
                        frame(SEND, "y".repeat(40), "destination", "/a", "a", "x".repeat(28), "b", "1", "c", "2")),
                goodWithLimits("content-length exactly at the frame limit", SMALL,
                        "SEND\ndestination:/a\ncontent-length:61\n\n" + "z".repeat(61) + "\0",
                        frame(SEND, "z".repeat(61), "destination", "/a", "content-length", "61")));
    }

    static Stream<Arguments> badCases() {
        return Stream.of(
                bad("frame too large, body without content-length", SMALL,
                        "SEND\ndestination:/a\n\n" + "y".repeat(100), "frame too large"),
                bad("frame too large through headers alone", new StompLimits(40, 10, 30),
                        "SEND\ndestination:/a\nb:" + "x".repeat(14) + "\nc:" + "xx", "frame too large"),
                bad("content-length above the limit fails before the body", SMALL,
                        "SEND\ndestination:/a\ncontent-length:62\n\n", "frame too large"),
                bad("content-length far above the limit", SMALL,
                        "SEND\ndestination:/a\ncontent-length:2147483647\n\n", "frame too large"),
                bad("too many headers", SMALL, "SEND\ndestination:/a\na:1\nb:2\nc:3\nd:4\n", "too many headers"),
                bad("header line too long", SMALL, "SEND\ndestination:/a\na:" + "x".repeat(29) + "\n",
                        "header line too long"),
                bad("endless header line fails before its EOL", SMALL, "SEND\na:" + "x".repeat(30),
                        "header line too long"),
                bad("header line too long even with CR LF", SMALL,
                        "SEND\r\na:" + "x".repeat(29) + "\r\n", "header line too long"),
                bad("unknown command", V1_2, "FOO\n\n\0", "unknown command"),
                bad("commands are case-sensitive", V1_2, "send\ndestination:/a\n\n\0", "unknown command"),
                bad("endless command line", V1_2, "SUBSCRIBEEEEEEEEEEEEEEEEEEEEE", "unknown command"),
                bad("lone CR before a frame", V1_2, "\rSEND\n", "unknown command"),
                bad("HTTP request", V1_2, "GET / HTTP/1.1\r\n", "unknown command"),
                bad("header without colon", V1_2, "SEND\ndestination\n\n\0", "malformed header"),
                bad("header with empty name", V1_2, "SEND\n:/a\n\n\0", "malformed header"),
                bad("NUL inside the headers", V1_2, "SEND\ndestination:/a\n\0", "malformed header"),
                bad("undefined escape", V1_2, "SEND\ndestination:/a\\t\n\n\0", "invalid escape sequence"),
                bad("dangling backslash", V1_2, "SEND\ndestination:/a\\\n\n\0", "invalid escape sequence"),
                bad("escaped CR is undefined in 1.1", V1_1, "SEND\ndestination:/a\\r\n\n\0", "invalid escape sequence"),
                bad("escape in a header name", V1_1, "SEND\ndest\\x:/a\n\n\0", "invalid escape sequence"),
                bad("SEND without destination", V1_2, "SEND\n\nhi\0", "missing header: destination"),
                bad("SUBSCRIBE without id in 1.1", V1_1, "SUBSCRIBE\ndestination:/a\n\n\0", "missing header: id"),
                bad("UNSUBSCRIBE with neither id nor destination in 1.0", V1_0, "UNSUBSCRIBE\n\n\0",
                        "missing header: id or destination"),
                bad("ACK without subscription in 1.1", V1_1, "ACK\nmessage-id:1\n\n\0",
                        "missing header: subscription"),
                bad("ACK without id in 1.2", V1_2, "ACK\nmessage-id:1\nsubscription:0\n\n\0", "missing header: id"),
                bad("BEGIN without transaction", V1_2, "BEGIN\n\n\0", "missing header: transaction"),
                bad("body on SUBSCRIBE", V1_2, "SUBSCRIBE\nid:1\ndestination:/a\n\nx", "body not allowed for SUBSCRIBE"),
                bad("content-length body on DISCONNECT", V1_2, "DISCONNECT\ncontent-length:1\n\n",
                        "body not allowed for DISCONNECT"),
                bad("missing NUL after content-length body", V1_2, "SEND\ndestination:/a\ncontent-length:2\n\nabc\0",
                        "content-length mismatch"),
                bad("content-length not a number", V1_2, "SEND\ndestination:/a\ncontent-length:abc\n\n",
                        "invalid content-length"),
                bad("negative content-length", V1_2, "SEND\ndestination:/a\ncontent-length:-1\n\n",
                        "invalid content-length"),
                badAfter("error after a good frame", V1_2, "DISCONNECT\n\n\0\nFOO\n", "unknown command", 1,
                        frame(DISCONNECT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodCases")
    void decodesSpecCase(Case c) {
        assertThat(decodeInChunks(c, c.input.length)).isEqualTo(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodCases")
    void decodesSpecCaseSplitAtEveryByte(Case c) {
        for (int split = 0; split <= c.input.length; split++) {
            assertThat(decodeInChunks(c, split, c.input.length - split)).as("split at %d", split)
                    .isEqualTo(c);
        }
        int[] ones = new int[c.input.length];
        Arrays.fill(ones, 1);
        assertThat(decodeInChunks(c, ones)).as("byte by byte").isEqualTo(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCases")
    void rejectsSpecCase(Case c) {
        assertThat(decodeInChunks(c, c.input.length)).isEqualTo(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCases")
    void rejectsSpecCaseSplitAtEveryByte(Case c) {
        for (int split = 0; split <= c.input.length; split++) {
            assertThat(decodeInChunks(c, split, c.input.length - split)).as("split at %d", split)
                    .isEqualTo(c);
        }
        int[] ones = new int[c.input.length];
        Arrays.fill(ones, 1);
        assertThat(decodeInChunks(c, ones)).as("byte by byte").isEqualTo(c);
    }

    @Test
    void versionSetWhileHandlingConnectAppliesToPipelinedFrames() {
        StompDecoder decoder = new StompDecoder(StompLimits.DEFAULTS);
        List<StompFrame> frames = new ArrayList<>();
        decoder.decode(buffer("CONNECT\naccept-version:1.2\n\n\0SEND\ndestination:/a\\cb\n\n\0"), frame -> {
            if (frame.command() == CONNECT) {
                decoder.setVersion(V1_2);
            }
            frames.add(frame);
        });
        assertThat(frames).extracting(f -> f.header("destination")).containsExactly(null, "/a:b");
    }

    @Test
    void framesBeforeAnErrorReachTheConsumer() {
        StompDecoder decoder = new StompDecoder(StompLimits.DEFAULTS);
        List<StompFrame> frames = new ArrayList<>();
        assertThatThrownBy(() -> decoder.decode(buffer("DISCONNECT\n\n\0FOO\n"), frames::add))
                .isInstanceOf(StompProtocolException.class).hasMessage("unknown command");
        assertThat(frames).containsExactly(frame(DISCONNECT));
    }

    @Test
    void refusesInputAfterAnError() {
        StompDecoder decoder = new StompDecoder(StompLimits.DEFAULTS);
        assertThatThrownBy(() -> decoder.decode(buffer("FOO\n"))).isInstanceOf(StompProtocolException.class);
        assertThat(decoder.isFailed()).isTrue();
        assertThatThrownBy(() -> decoder.decode(buffer("\n"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void consumesTheWholeChunkAndKeepsNoReferenceToIt() {
        StompDecoder decoder = new StompDecoder(StompLimits.DEFAULTS);
        decoder.setVersion(V1_2);
        byte[] bytes = "SEND\ndestination:/a\n\nbody\0SEND\ndesti".getBytes(StandardCharsets.UTF_8);
        ByteBuffer chunk = ByteBuffer.wrap(bytes, 2, bytes.length - 2).slice();
        ByteBuffer head = ByteBuffer.wrap(bytes, 0, 2);

        assertThat(decoder.decode(head)).isEmpty();
        List<StompFrame> frames = decoder.decode(chunk);
        Arrays.fill(bytes, (byte) 'X');

        assertThat(chunk.hasRemaining()).isFalse();
        assertThat(frames).containsExactly(frame(SEND, "body", "destination", "/a"));
        assertThat(decoder.inFrame()).isTrue();
        assertThat(decoder.decode(buffer("nation:/b\n\n\0"))).containsExactly(frame(SEND, "destination", "/b"));
        assertThat(decoder.inFrame()).isFalse();
    }

    @Test
    void internsWellKnownHeaderNames() {
        StompDecoder decoder = new StompDecoder(StompLimits.DEFAULTS);
        StompFrame frame = decoder.decode(buffer("SEND\ndestination:/a\n\n\0")).get(0);
        assertThat(frame.headers().name(0)).isSameAs(StompHeaders.DESTINATION);
    }

    // --- machinery

    /** Decodes {@code c.input} cut into chunks of the given sizes, alternating heap and direct buffers. */
    private static Case decodeInChunks(Case c, int... chunkSizes) {
        StompDecoder decoder = new StompDecoder(c.limits);
        decoder.setVersion(c.version);
        List<StompFrame> frames = new ArrayList<>();
        String error = null;
        int offset = 0;
        try {
            for (int i = 0; i < chunkSizes.length; i++) {
                int size = chunkSizes[i];
                ByteBuffer chunk = i % 2 == 0 ? ByteBuffer.wrap(c.input, offset, size)
                        : ByteBuffer.allocateDirect(size).put(c.input, offset, size).flip();
                decoder.decode(chunk, frames::add);
                assertThat(chunk.hasRemaining()).isFalse();
                offset += size;
            }
        } catch (StompProtocolException e) {
            error = e.getMessage();
        }
        return new Case(c.version, c.limits, c.input, frames, decoder.heartbeatsSeen(), error);
    }

    private static Arguments good(String name, StompVersion version, String input, StompFrame... frames) {
        return goodWithHeartbeats(name, version, input, 0, frames);
    }

    private static Arguments goodWithHeartbeats(String name, StompVersion version, String input, long heartbeats,
                                                StompFrame... frames) {
        return Arguments.of(named(name, new Case(version, StompLimits.DEFAULTS, bytes(input), List.of(frames),
                heartbeats, null)));
    }

    private static Arguments goodWithLimits(String name, StompLimits limits, String input, StompFrame... frames) {
        return Arguments.of(named(name, new Case(V1_2, limits, bytes(input), List.of(frames), 0, null)));
    }

    private static Arguments bad(String name, StompVersion version, String input, String error) {
        return badAfter(name, version, input, error, 0);
    }

    private static Arguments bad(String name, StompLimits limits, String input, String error) {
        return Arguments.of(named(name, new Case(V1_2, limits, bytes(input), List.of(), 0, error)));
    }

    private static Arguments badAfter(String name, StompVersion version, String input, String error,
                                      long heartbeats, StompFrame... framesBefore) {
        return Arguments.of(named(name, new Case(version, StompLimits.DEFAULTS, bytes(input), List.of(framesBefore),
                heartbeats, error)));
    }

    /** {@code frame(SEND, "body", "destination", "/a")}: an odd number of strings means the first is the body. */
    static StompFrame frame(StompCommand command, String... bodyAndHeaders) {
        boolean hasBody = bodyAndHeaders.length % 2 == 1;
        String[] headers = hasBody ? Arrays.copyOfRange(bodyAndHeaders, 1, bodyAndHeaders.length) : bodyAndHeaders;
        byte[] body = hasBody ? bytes(bodyAndHeaders[0]) : null;
        return StompFrame.of(command, StompHeaders.of(headers), body);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer buffer(String s) {
        return ByteBuffer.wrap(bytes(s));
    }
}
