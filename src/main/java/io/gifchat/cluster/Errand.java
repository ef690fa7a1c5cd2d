package io.gifchat.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.gifchat.domain.Refusal;

/**
 * One message on a node's inbox channel, {@code <namespace>:inbox:<node>}: a request, or the answer to one — the
 * one place errands are encoded and decoded. Binary and versioned like {@link Envelope}: a version byte, a kind
 * byte, the errand's number (the sender's, unique on it), then the kind's fields. A request names the node to
 * answer to and what kind of errand it is; an answer is the handler's bytes, a refusal its reason, message and
 * retry-after (milliseconds, -1 for none).
 */
record Errand(int type, long number, String from, String kind, byte[] payload, Refusal refusal) {

    static final int REQUEST = 1;
    static final int ANSWER = 2;
    static final int REFUSED = 3;

    private static final int VERSION = 1;
    private static final byte[] NONE = new byte[0];

    static Errand request(long number, String from, String kind, byte[] payload) {
        return new Errand(REQUEST, number, from, kind, payload, null);
    }

    static Errand answer(long number, byte[] payload) {
        return new Errand(ANSWER, number, "", "", payload, null);
    }

    static Errand refused(long number, Refusal refusal) {
        return new Errand(REFUSED, number, "", "", NONE, refusal);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(type);
            out.writeLong(number);
            switch (type) {
                case REQUEST -> {
                    out.writeUTF(from);
                    out.writeUTF(kind);
                    out.writeInt(payload.length);
                    out.write(payload);
                }
                case ANSWER -> {
                    out.writeInt(payload.length);
                    out.write(payload);
                }
                case REFUSED -> {
                    out.writeUTF(refusal.reason().name());
                    out.writeUTF(refusal.getMessage() == null ? "" : refusal.getMessage());
                    out.writeLong(refusal.retryAfter() == null ? -1 : refusal.retryAfter().toMillis());
                }
                default -> throw new IllegalArgumentException("no encoding for errand type " + type);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not an errand this node reads */
    static Errand decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("errand version " + version + ", this node reads " + VERSION);
            }
            int type = in.readUnsignedByte();
            long number = in.readLong();
            return switch (type) {
                case REQUEST -> request(number, in.readUTF(), in.readUTF(), payload(in));
                case ANSWER -> answer(number, payload(in));
                case REFUSED -> {
                    Refusal.Reason reason = reasonOf(in.readUTF());
                    String text = in.readUTF();
                    long retry = in.readLong();
                    yield refused(number, reason == Refusal.Reason.TOO_MANY && retry >= 0
                            ? Refusal.tooMany(text, Duration.ofMillis(retry)) : Refusal.of(reason, text));
                }
                default -> throw new IllegalArgumentException("errand type " + type + " is unknown to this node");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("not an errand: " + e);
        }
    }

    private static byte[] payload(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("payload of " + length + " bytes, " + in.available() + " left");
        }
        return in.readNBytes(length);
    }

    /** A reason a newer node knows and this one does not is a plain BUSY here. */
    private static Refusal.Reason reasonOf(String name) {
        try {
            return Refusal.Reason.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Refusal.Reason.BUSY;
        }
    }
}
