package io.gifchat.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A notice as it travels on the {@code <namespace>:notices} channel: who posted it (a node ignores its own) and the
 * notice, as bytes — the one place notices are encoded and decoded. Binary and versioned like {@link Envelope}: a
 * version byte, the origin, then a kind byte and the kind's fields. A new kind gets a new byte and leaves the
 * version alone (a node that does not know it ignores it, with a warning, during a rolling upgrade); the version
 * changes only when an existing kind's fields do.
 */
record PostedNotice(String origin, Notice notice) {

    private static final int VERSION = 1;
    private static final int SUBSCRIPTIONS_ENDED = 1;
    private static final int ROOM_DELETED = 2;
    private static final int BANNED = 3;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(origin);
            if (notice instanceof Notice.SubscriptionsEnded ended) {
                out.writeByte(SUBSCRIPTIONS_ENDED);
                out.writeUTF(ended.identity() == null ? "" : ended.identity());
                out.writeShort(ended.destinations().size());
                for (String destination : ended.destinations()) {
                    out.writeUTF(destination);
                }
            } else if (notice instanceof Notice.RoomDeleted deleted) {
                out.writeByte(ROOM_DELETED);
                out.writeUTF(deleted.room());
            } else if (notice instanceof Notice.Banned banned) {
                out.writeByte(BANNED);
                out.writeUTF(banned.room());
                out.writeUTF(banned.identity());
                out.writeLong(banned.until().getEpochSecond());
                out.writeInt(banned.until().getNano());
            } else {
                throw new IllegalArgumentException("no encoding for " + notice); // a kind added to Notice only
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a notice this node reads */
    static PostedNotice decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("notice version " + version + ", this node reads " + VERSION);
            }
            String origin = in.readUTF();
            int kind = in.readUnsignedByte();
            Notice notice = switch (kind) {
                case SUBSCRIPTIONS_ENDED -> {
                    String identity = in.readUTF();
                    int count = in.readUnsignedShort();
                    List<String> destinations = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        destinations.add(in.readUTF());
                    }
                    yield new Notice.SubscriptionsEnded(identity.isEmpty() ? null : identity, destinations);
                }
                case ROOM_DELETED -> new Notice.RoomDeleted(in.readUTF());
                case BANNED -> new Notice.Banned(in.readUTF(), in.readUTF(),
                        Instant.ofEpochSecond(in.readLong(), in.readInt()));
                default -> throw new IllegalArgumentException("notice kind " + kind + " (from node " + origin
                        + ") is unknown to this node");
            };
            return new PostedNotice(origin, notice);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a notice: " + e);
        }
    }
}
