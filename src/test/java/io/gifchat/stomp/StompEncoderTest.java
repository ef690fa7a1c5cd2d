package io.gifchat.stomp;

import static io.gifchat.stomp.StompDecoderTest.bytes;
import static io.gifchat.stomp.StompVersion.V1_0;
import static io.gifchat.stomp.StompVersion.V1_1;
import static io.gifchat.stomp.StompVersion.V1_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class StompEncoderTest {

    @Test
    void writesCommandHeadersBlankLineBodyAndNul() {
        assertThat(text(StompEncoder.encode(StompFrame.receipt("r-1"), V1_2))).isEqualTo("RECEIPT\nreceipt-id:r-1\n\n\0");
    }

    @Test
    void addsContentLengthToFramesWithBody() {
        StompFrame frame = StompFrame.of(StompCommand.ERROR, StompHeaders.of("message", "bad"), bytes("détails"));
        assertThat(text(StompEncoder.encode(frame, V1_2)))
                .isEqualTo("ERROR\nmessage:bad\ncontent-length:8\n\ndétails\0");
    }

    @Test
    void keepsAMatchingContentLengthAndRefusesAWrongOne() {
        StompHeaders headers = StompHeaders.of("destination", "/a", "content-length", "2");
        assertThat(text(StompEncoder.encode(StompFrame.of(StompCommand.SEND, headers, bytes("hi")), V1_2)))
                .isEqualTo("SEND\ndestination:/a\ncontent-length:2\n\nhi\0");
        assertThatThrownBy(() -> StompEncoder.encode(StompFrame.of(StompCommand.SEND, headers, bytes("hey")), V1_2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesABodyWhereNoneIsAllowed() {
        StompFrame frame = StompFrame.of(StompCommand.RECEIPT, StompHeaders.of("receipt-id", "1"), bytes("x"));
        assertThatThrownBy(() -> StompEncoder.encode(frame, V1_2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void escapesEverythingIn12() {
        assertThat(text(StompEncoder.encode(error("a:b\nc\\d\re"), V1_2)))
                .isEqualTo("ERROR\nmessage:a\\cb\\nc\\\\d\\re\n\n\0");
    }

    @Test
    void leavesCarriageReturnRawIn11() {
        assertThat(text(StompEncoder.encode(error("a:b\nc\\d\re"), V1_1)))
                .isEqualTo("ERROR\nmessage:a\\cb\\nc\\\\d\re\n\n\0");
    }

    @Test
    void escapesNothingIn10() {
        assertThat(text(StompEncoder.encode(error("a:b\\c"), V1_0))).isEqualTo("ERROR\nmessage:a:b\\c\n\n\0");
    }

    @Test
    void neverEscapesConnected() {
        StompFrame connected = StompFrame.connected(V1_2, new HeartBeat(10_000, 0), "gif:chat\\1");
        assertThat(text(StompEncoder.encode(connected, V1_2)))
                .isEqualTo("CONNECTED\nversion:1.2\nheart-beat:10000,0\nserver:gif:chat\\1\n\n\0");
    }

    @Test
    void refusesLineBreaksItCannotEscape() {
        assertThatThrownBy(() -> StompEncoder.encode(error("two\nlines"), V1_0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StompEncoder.encode(StompFrame.connected(V1_2, null, "a\rb"), V1_2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNulAndEmptyNamesInHeaders() {
        assertThatThrownBy(() -> StompEncoder.encode(error("a\0b"), V1_2)).isInstanceOf(IllegalArgumentException.class);
        StompFrame emptyName = StompFrame.of(StompCommand.RECEIPT, StompHeaders.of("", "x", "receipt-id", "1"));
        assertThatThrownBy(() -> StompEncoder.encode(emptyName, V1_2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void heartbeatIsOneFreshLineFeed() {
        byte[] heartbeat = StompEncoder.heartbeat();
        assertThat(heartbeat).containsExactly('\n');
        heartbeat[0] = 'x';
        assertThat(StompEncoder.heartbeat()).containsExactly('\n');
    }

    static Stream<Arguments> roundTrips() {
        List<Arguments> cases = new ArrayList<>();
        for (StompVersion v : StompVersion.values()) {
            boolean escapes = v.escapesHeaders();
            cases.add(roundTrip(v, "SEND with text body", StompFrame.of(StompCommand.SEND,
                    StompHeaders.of("destination", "/topic/a", "content-type", "text/plain;charset=utf-8"),
                    bytes("hello wörld"))));
            cases.add(roundTrip(v, "SEND with NUL in body", StompFrame.of(StompCommand.SEND,
                    StompHeaders.of("destination", "/a"), new byte[] {0, 1, 0, 2})));
            cases.add(roundTrip(v, "MESSAGE with repeated and UTF-8 headers", StompFrame.of(StompCommand.MESSAGE,
                    StompHeaders.of("destination", "/räume/🎉", "message-id", "m-1", "subscription", "s-0",
                            "x", "1", "x", "2"), bytes("🎉"))));
            cases.add(roundTrip(v, "CONNECT with colon and backslash", StompFrame.of(StompCommand.CONNECT,
                    StompHeaders.of("accept-version", "1.2", "login", "a:b\\c"))));
            cases.add(roundTrip(v, "CONNECTED", StompFrame.connected(v, new HeartBeat(0, 5000), "gif-chat/1")));
            cases.add(roundTrip(v, "SUBSCRIBE", StompFrame.of(StompCommand.SUBSCRIBE,
                    StompHeaders.of("id", "sub-0", "destination", "/topic/a", "ack", "client"))));
            cases.add(roundTrip(v, "RECEIPT", StompFrame.receipt("77")));
            cases.add(roundTrip(v, "ERROR without body", StompFrame.error("frame too large", "r-9")));
            if (escapes) {
                String special = v.escapesCarriageReturn() ? "a:b\nc\\d\re" : "a:b\nc\\d";
                cases.add(roundTrip(v, "SEND with characters that need escaping", StompFrame.of(StompCommand.SEND,
                        StompHeaders.of("destination", "/a", special, special), bytes("x"))));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void decodingTheEncodingGivesTheFrameBack(StompVersion version, StompFrame frame) {
        StompDecoder decoder = new StompDecoder(StompLimits.DEFAULTS);
        decoder.setVersion(version);
        StompFrame expected = frame.body().length == 0 ? frame
                : StompFrame.of(frame.command(),
                        frame.headers().with("content-length", Integer.toString(frame.body().length)), frame.body());
        assertThat(decoder.decode(ByteBuffer.wrap(StompEncoder.encode(frame, version)))).containsExactly(expected);
    }

    static Stream<Arguments> templates() {
        List<Arguments> cases = new ArrayList<>();
        for (StompVersion v : StompVersion.values()) {
            cases.add(template(v, "plain", MessageTemplate.of("/topic/room.1", "m-1", "text/plain", null,
                    bytes("hello")), "sub-0"));
            cases.add(template(v, "empty body, no content-type", MessageTemplate.of("/topic/a", "m-2", null,
                    StompHeaders.EMPTY, null), "0"));
            cases.add(template(v, "extra headers and UTF-8", MessageTemplate.of("/topic/räume", "m-3",
                    "application/json", StompHeaders.of("gif-url", "https://x/y.gif", "author", "Zoë"),
                    bytes("{\"k\":\"🎉\"}")), "s-1"));
            cases.add(template(v, "colon and backslash (1.0 writes them raw)", MessageTemplate.of("/topic/a:b",
                    "m\\4", null, StompHeaders.of("x", "1:2"), bytes("b")), "sub:1\\"));
            if (v != V1_0) {
                cases.add(template(v, "line feed and carriage return", MessageTemplate.of("/topic/a", "m-5",
                        null, StompHeaders.of("note", "two\nlines\r"), bytes("b")), "s\n2"));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void messageTemplatePartsEqualTheEncodedFrame(StompVersion version, MessageTemplate template, String subscription) {
        byte[] expected = StompEncoder.encode(template.toFrame(subscription, version), version);
        byte[] parts = concat(template.head(version), MessageTemplate.subscriptionLine(subscription, version),
                template.tail());
        assertThat(parts).isEqualTo(expected);
        assertThat(template.encode(subscription, version)).isEqualTo(expected);
    }

    @Test
    void plainTemplateSharesOneHeadAcrossVersions() {
        MessageTemplate template = MessageTemplate.of("/topic/a", "m-1", "text/plain", null, bytes("hi"));
        assertThat(template.head(V1_0)).isSameAs(template.head(V1_1)).isSameAs(template.head(V1_2));
    }

    @Test
    void templateNeedingEscapesKeepsOneHeadPerVersion() {
        MessageTemplate template = MessageTemplate.of("/topic/a", "m-1", null, StompHeaders.of("x", "a:b\r"), null);
        assertThat(text(template.head(V1_2))).endsWith("x:a\\cb\\r\n");
        assertThat(text(template.head(V1_1))).endsWith("x:a\\cb\r\n");
        assertThat(text(template.head(V1_0))).as("1.0 cannot carry the CR: left out").doesNotContain("\nx:");
        assertThat(template.head(V1_1)).isSameAs(template.head(V1_1));
    }

    @Test
    void aStomp10SubscriberGoesWithoutTheHeadersStomp10CannotCarryInsteadOfFailingThePublish() {
        MessageTemplate template = MessageTemplate.of("/topic/a", "m-1", "text/plain\nx-injected:1",
                StompHeaders.of("note", "two\nlines", "cr", "a\rb", "a:b", "name with a colon", "plain", "1:2\\3"),
                bytes("b"));

        String v10 = text(template.encode("s", V1_0));
        assertThat(v10).isEqualTo("MESSAGE\ndestination:/topic/a\nmessage-id:m-1\nplain:1:2\\3\nsubscription:s\n"
                + "content-length:1\n\nb\0");
        assertThat(text(template.encode("s", V1_1))).contains("\ncontent-type:text/plain\\nx-injected\\c1\n",
                "\nnote:two\\nlines\n", "\ncr:a\rb\n", "\na\\cb:name with a colon\n", "\nplain:1\\c2\\\\3\n");
        assertThat(text(template.encode("s", V1_2))).contains("\ncr:a\\rb\n");
        assertThat(template.encode("s", V1_0)).isEqualTo(StompEncoder.encode(template.toFrame("s", V1_0), V1_0));
    }

    @ParameterizedTest
    @EnumSource(names = {"DESTINATION", "MESSAGE_ID", "CONTENT_TYPE", "SUBSCRIPTION", "CONTENT_LENGTH"})
    void templateRefusesHeadersItOwns(ReservedHeader reserved) {
        StompHeaders extra = StompHeaders.of(reserved.name, "x");
        assertThatThrownBy(() -> MessageTemplate.of("/a", "1", null, extra, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    enum ReservedHeader {
        DESTINATION("destination"), MESSAGE_ID("message-id"), CONTENT_TYPE("content-type"),
        SUBSCRIPTION("subscription"), CONTENT_LENGTH("content-length");

        final String name;

        ReservedHeader(String name) {
            this.name = name;
        }
    }

    private static Arguments roundTrip(StompVersion v, String name, StompFrame frame) {
        return Arguments.of(named(v + " " + name, v), frame);
    }

    private static Arguments template(StompVersion v, String name, MessageTemplate template, String subscription) {
        return Arguments.of(named(v + " " + name, v), template, subscription);
    }

    private static StompFrame error(String message) {
        return StompFrame.error(message, null);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
