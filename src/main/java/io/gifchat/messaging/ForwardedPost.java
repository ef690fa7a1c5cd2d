package io.gifchat.messaging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A fallback connection's POST as one node sends it to the node holding the stream (an errand, see
 * {@link EventStreams}): the token, the identity of the request's session (empty: none), the body's length as the
 * receiving node counted it (over the limit: the body is not sent, the holder refuses it as it would its own), and
 * the body. The one place it is encoded and decoded; a version byte first, as every cluster message.
 */
record ForwardedPost(String token, String identity, long length, byte[] body) {

    private static final int VERSION = 1;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + body.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(token);
            out.writeUTF(identity == null ? "" : identity);
            out.writeLong(length);
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a forwarded POST this node reads */
    static ForwardedPost decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("forwarded POST version " + version + ", this node reads " + VERSION);
            }
            String token = in.readUTF();
            String identity = in.readUTF();
            long length = in.readLong();
            int size = in.readInt();
            if (size < 0 || size > in.available()) {
                throw new IllegalArgumentException("a body of " + size + " bytes, " + in.available() + " left");
            }
            return new ForwardedPost(token, identity.isEmpty() ? null : identity, length, in.readNBytes(size));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a forwarded POST: " + e);
        }
    }
}
