package io.gifchat.stomp;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A MESSAGE frame encoded once per publish and written to every subscriber as
 * {@code head(version) + subscriptionLine(id, version) + tail()}: the only per-subscriber header is
 * {@code subscription}, so fan-out needs no encoding, only three writes.
 *
 * <p>The bytes equal {@link StompEncoder#encode} of {@link #toFrame(String, StompVersion)}: headers destination,
 * message-id, content-type (if any), the extra headers, subscription, then content-length (if the body is
 * not empty). Heads differ between versions only when a header needs escaping; otherwise all versions share
 * one array. STOMP 1.0 has no escaping, so a content-type or extra header whose name or value it cannot carry (a
 * line feed or carriage return; a colon in a name) is left out of the 1.0 head rather than refused: one 1.0
 * subscriber must not stop a publish, and a header other subscribers get is no reason to withhold the message.
 * Thread-safe; the returned arrays are shared and must not be modified.
 */
public final class MessageTemplate {

    private static final byte[] MESSAGE_LINE = "MESSAGE\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUBSCRIPTION = "subscription".getBytes(StandardCharsets.US_ASCII);

    private final String destination;
    private final String messageId;
    private final String contentType;
    private final StompHeaders extraHeaders;
    private final byte[] body;
    private final byte[] tail;
    private final byte[] head12;
    private final boolean plain;
    private final boolean utf8;
    // Lazily encoded only if some header needs escaping and a 1.0/1.1 subscriber shows up.
    private volatile byte[] head11;
    private volatile byte[] head10;

    private MessageTemplate(String destination, String messageId, String contentType, StompHeaders extraHeaders,
                            byte[] body) {
        this.destination = destination;
        this.messageId = messageId;
        this.contentType = contentType;
        this.extraHeaders = extraHeaders;
        this.body = body;
        this.head12 = encodeHead(Escaping.V12);
        this.plain = isPlain();
        this.utf8 = Utf8.isValid(this.body);
        ByteSink out = new ByteSink(24);
        StompEncoder.writeContentLength(out, StompCommand.MESSAGE, StompHeaders.EMPTY, body.length);
        out.write('\n');
        this.tail = out.finishFrame(body);
    }

    /**
     * @param contentTypeOrNull omitted from the frame when null
     * @param extraHeadersOrNull more headers, in order; must not contain destination, message-id,
     *                           content-type, subscription or content-length, which the template owns
     */
    public static MessageTemplate of(String destination, String messageId, String contentTypeOrNull,
                                     StompHeaders extraHeadersOrNull, byte[] body) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(messageId, "messageId");
        StompHeaders extra = extraHeadersOrNull == null ? StompHeaders.EMPTY : extraHeadersOrNull;
        for (String reserved : new String[] {StompHeaders.DESTINATION, StompHeaders.MESSAGE_ID,
                StompHeaders.CONTENT_TYPE, StompHeaders.SUBSCRIPTION, StompHeaders.CONTENT_LENGTH}) {
            if (extra.contains(reserved)) {
                throw new IllegalArgumentException("extra headers must not contain " + reserved);
            }
        }
        return new MessageTemplate(destination, messageId, contentTypeOrNull, extra,
                body == null ? StompFrame.NO_BODY : body);
    }

    /** Whether the body is valid UTF-8 (checked once per publish): WebSocket text frames must be. */
    public boolean isUtf8() {
        return utf8;
    }

    /** "MESSAGE\n" and every header line except subscription and content-length. */
    public byte[] head(StompVersion version) {
        if (plain || version == StompVersion.V1_2) {
            return head12;
        }
        if (version == StompVersion.V1_1) {
            byte[] h = head11;
            if (h == null) {
                head11 = h = encodeHead(Escaping.V11);
            }
            return h;
        }
        byte[] h = head10;
        if (h == null) {
            head10 = h = encodeHead(Escaping.NONE);
        }
        return h;
    }

    /** The content-length line (if there is a body), the blank line, the body and NUL. */
    public byte[] tail() {
        return tail;
    }

    /**
     * {@code subscription:<id>\n}, escaped for {@code version}. Subscription ids are fixed per subscription,
     * so callers should compute this once per subscription and keep it.
     */
    public static byte[] subscriptionLine(String subscriptionId, StompVersion version) {
        ByteSink out = new ByteSink(subscriptionId.length() + 14);
        Escaping escaping = Escaping.of(StompCommand.MESSAGE, version);
        out.write(SUBSCRIPTION);
        out.write(':');
        out.escaped(subscriptionId, false, escaping);
        out.write('\n');
        return out.toByteArray();
    }

    /** The whole frame in one array; for tests and slow paths, fan-out should write the parts. */
    public byte[] encode(String subscriptionId, StompVersion version) {
        byte[] head = head(version);
        byte[] sub = subscriptionLine(subscriptionId, version);
        byte[] frame = new byte[head.length + sub.length + tail.length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(sub, 0, frame, head.length, sub.length);
        System.arraycopy(tail, 0, frame, head.length + sub.length, tail.length);
        return frame;
    }

    /** The frame these bytes encode for one subscriber speaking {@code version}. */
    public StompFrame toFrame(String subscriptionId, StompVersion version) {
        Escaping escaping = Escaping.of(StompCommand.MESSAGE, version);
        StompHeaders.Builder b = StompHeaders.builder(extraHeaders.size() + 4)
                .add(StompHeaders.DESTINATION, destination)
                .add(StompHeaders.MESSAGE_ID, messageId);
        if (contentType != null && escaping.canWrite(contentType, false)) {
            b.add(StompHeaders.CONTENT_TYPE, contentType);
        }
        for (int i = 0, n = extraHeaders.size(); i < n; i++) {
            if (carries(escaping, i)) {
                b.add(extraHeaders.name(i), extraHeaders.value(i));
            }
        }
        b.add(StompHeaders.SUBSCRIPTION, subscriptionId);
        return StompFrame.of(StompCommand.MESSAGE, b.build(), body);
    }

    public String destination() {
        return destination;
    }

    public String messageId() {
        return messageId;
    }

    public int bodyLength() {
        return body.length;
    }

    private byte[] encodeHead(Escaping escaping) {
        ByteSink out = new ByteSink(64 + destination.length() + messageId.length());
        out.write(MESSAGE_LINE);
        StompEncoder.header(out, StompHeaders.DESTINATION, destination, escaping);
        StompEncoder.header(out, StompHeaders.MESSAGE_ID, messageId, escaping);
        if (contentType != null && escaping.canWrite(contentType, false)) {
            StompEncoder.header(out, StompHeaders.CONTENT_TYPE, contentType, escaping);
        }
        for (int i = 0, n = extraHeaders.size(); i < n; i++) {
            if (carries(escaping, i)) {
                StompEncoder.header(out, extraHeaders.name(i), extraHeaders.value(i), escaping);
            }
        }
        return out.toByteArray();
    }

    private boolean carries(Escaping escaping, int extraHeader) {
        return escaping.canWrite(extraHeaders.name(extraHeader), true)
                && escaping.canWrite(extraHeaders.value(extraHeader), false);
    }

    private boolean isPlain() {
        if (!Escaping.isPlain(destination) || !Escaping.isPlain(messageId)
                || contentType != null && !Escaping.isPlain(contentType)) {
            return false;
        }
        for (int i = 0, n = extraHeaders.size(); i < n; i++) {
            if (!Escaping.isPlain(extraHeaders.name(i)) || !Escaping.isPlain(extraHeaders.value(i))) {
                return false;
            }
        }
        return true;
    }
}
