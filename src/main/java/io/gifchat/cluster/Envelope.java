package io.gifchat.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.gifchat.stomp.StompHeaders;

/**
 * One message as it travels between nodes on Redis pub/sub: who published it (a node ignores its own), where it
 * goes, its order (0: none), content type, a client's user-defined headers and the body, as bytes. Binary and
 * versioned rather than JSON: the body is passed through untouched (it need not be UTF-8), and each node decodes a
 * message once however many subscribers it has.
 *
 * @param user        the identity of a user destination; null for a topic
 * @param destination the topic, or the user destination's queue ({@code /queue/errors})
 */
record Envelope(String origin, String user, String destination, long order, String contentType, StompHeaders headers,
                byte[] body) {

    private static final int VERSION = 1;

    static Envelope topic(String origin, String destination, long order, String contentType, StompHeaders headers,
                          byte[] body) {
        return new Envelope(origin, null, destination, order, contentType, headers, body);
    }

    static Envelope toUser(String origin, String user, String queue, String contentType, byte[] body) {
        return new Envelope(origin, user, queue, 0, contentType, StompHeaders.EMPTY, body);
    }

    boolean isForUser() {
        return user != null;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(origin);
            out.writeUTF(user == null ? "" : user);
            out.writeUTF(destination);
            out.writeLong(order);
            out.writeUTF(contentType == null ? "" : contentType);
            out.writeShort(headers.size());
            for (int i = 0; i < headers.size(); i++) {
                out.writeUTF(headers.name(i));
                out.writeUTF(headers.value(i));
            }
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not an envelope this version reads */
    static Envelope decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("envelope version " + version + ", this node reads " + VERSION);
            }
            String origin = in.readUTF();
            String user = in.readUTF();
            String destination = in.readUTF();
            long order = in.readLong();
            String contentType = in.readUTF();
            int count = in.readUnsignedShort();
            StompHeaders.Builder headers = StompHeaders.builder(count);
            for (int i = 0; i < count; i++) {
                headers.add(in.readUTF(), in.readUTF());
            }
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return new Envelope(origin, user.isEmpty() ? null : user, destination, order,
                    contentType.isEmpty() ? null : contentType, count == 0 ? StompHeaders.EMPTY : headers.build(), body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an envelope: " + e);
        }
    }
}
