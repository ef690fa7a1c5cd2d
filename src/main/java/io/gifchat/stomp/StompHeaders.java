package io.gifchat.stomp;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The header entries of a frame, in wire order, repeats kept. Immutable.
 *
 * <p>Names are case-sensitive (the spec never folds case). {@link #get} returns the first entry of a
 * name, as spec 1.2 demands: "If a client or a server receives repeated frame header entries, only the
 * first header entry SHOULD be used as the value of header entry."
 *
 * <p>Stored as one flat {@code [name0, value0, name1, value1, ...]} array: frames have a handful of
 * headers, so a linear scan beats hashing and costs a single allocation.
 */
public final class StompHeaders implements Iterable<Map.Entry<String, String>> {

    public static final String ACCEPT_VERSION = "accept-version";
    public static final String HOST = "host";
    public static final String LOGIN = "login";
    public static final String PASSCODE = "passcode";
    public static final String HEART_BEAT = "heart-beat";
    public static final String VERSION = "version";
    public static final String SESSION = "session";
    public static final String SERVER = "server";
    public static final String DESTINATION = "destination";
    public static final String ID = "id";
    public static final String ACK = "ack";
    public static final String TRANSACTION = "transaction";
    public static final String RECEIPT = "receipt";
    public static final String RECEIPT_ID = "receipt-id";
    public static final String MESSAGE_ID = "message-id";
    public static final String SUBSCRIPTION = "subscription";
    public static final String CONTENT_TYPE = "content-type";
    public static final String CONTENT_LENGTH = "content-length";
    public static final String MESSAGE = "message";

    public static final StompHeaders EMPTY = new StompHeaders(new String[0], 0);

    private final String[] pairs;
    private final int size;

    private StompHeaders(String[] pairs, int size) {
        this.pairs = pairs;
        this.size = size;
    }

    /** {@code of("destination", "/topic/a", "receipt", "r1")}. */
    public static StompHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        for (String s : namesAndValues) {
            Objects.requireNonNull(s, "header names and values must not be null");
        }
        return namesAndValues.length == 0 ? EMPTY
                : new StompHeaders(namesAndValues.clone(), namesAndValues.length / 2);
    }

    public static Builder builder() {
        return new Builder(8);
    }

    public static Builder builder(int expectedSize) {
        return new Builder(expectedSize);
    }

    /** The value of the first entry named {@code name}, or null. */
    public String get(String name) {
        String[] p = pairs;
        for (int i = 0, n = size * 2; i < n; i += 2) {
            if (p[i].equals(name)) {
                return p[i + 1];
            }
        }
        return null;
    }

    public boolean contains(String name) {
        return get(name) != null;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public String name(int index) {
        return pairs[checkIndex(index) * 2];
    }

    public String value(int index) {
        return pairs[checkIndex(index) * 2 + 1];
    }

    /** A copy with one more entry at the end. An existing entry of that name keeps precedence. */
    public StompHeaders with(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        String[] p = Arrays.copyOf(pairs, size * 2 + 2);
        p[size * 2] = name;
        p[size * 2 + 1] = value;
        return new StompHeaders(p, size + 1);
    }

    /** A copy without any entry named {@code name}; this instance if there is none. */
    public StompHeaders without(String name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!pairs[i * 2].equals(name)) {
                kept++;
            }
        }
        if (kept == size) {
            return this;
        }
        String[] p = new String[kept * 2];
        int j = 0;
        for (int i = 0; i < size * 2; i += 2) {
            if (!pairs[i].equals(name)) {
                p[j++] = pairs[i];
                p[j++] = pairs[i + 1];
            }
        }
        return new StompHeaders(p, kept);
    }

    /**
     * The headers a SEND's sender defined itself, which the MESSAGE frames it produces carry along (spec 1.2: "MESSAGE
     * frames SHOULD include ... any user-defined headers that were present on the SEND"): every entry except those
     * the spec gives a meaning to on SEND or MESSAGE ({@code destination}, {@code message-id}, {@code subscription},
     * {@code content-length}, {@code content-type} — which the MESSAGE writes itself — {@code receipt},
     * {@code ack}, {@code transaction}, {@code id}), each name once with its first value (the one that counts), in
     * wire order. {@link #EMPTY} when there are none, without allocating: the usual SEND has none.
     */
    public StompHeaders userDefined() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (isUserDefined(i)) {
                kept++;
            }
        }
        if (kept == 0) {
            return EMPTY;
        }
        if (kept == size) {
            return this;
        }
        String[] p = new String[kept * 2];
        int j = 0;
        for (int i = 0; i < size; i++) {
            if (isUserDefined(i)) {
                p[j++] = pairs[i * 2];
                p[j++] = pairs[i * 2 + 1];
            }
        }
        return new StompHeaders(p, kept);
    }

    private boolean isUserDefined(int index) {
        String name = pairs[index * 2];
        switch (name) {
            case DESTINATION, MESSAGE_ID, SUBSCRIPTION, CONTENT_LENGTH, CONTENT_TYPE, RECEIPT, ACK, TRANSACTION, ID -> {
                return false;
            }
            default -> {
                for (int i = 0; i < index; i++) {
                    if (pairs[i * 2].equals(name)) {
                        return false; // a repeat: only the first entry counts
                    }
                }
                return true;
            }
        }
    }

    /** Visits entries in wire order without allocating. */
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0, n = size * 2; i < n; i += 2) {
            action.accept(pairs[i], pairs[i + 1]);
        }
    }

    /** Entries in wire order; allocates one entry per step, prefer {@link #forEach(BiConsumer)} on hot paths. */
    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Map.Entry<String, String> next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++ * 2;
                return Map.entry(pairs[i], pairs[i + 1]);
            }
        };
    }

    private int checkIndex(int index) {
        return Objects.checkIndex(index, size);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof StompHeaders other) || other.size != size) {
            return false;
        }
        return Arrays.equals(pairs, 0, size * 2, other.pairs, 0, size * 2);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0, n = size * 2; i < n; i++) {
            h = 31 * h + pairs[i].hashCode();
        }
        return h;
    }

    /** Masks {@code passcode} so frames can be logged. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0, n = size * 2; i < n; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(pairs[i]).append(':').append(PASSCODE.equals(pairs[i]) ? "****" : pairs[i + 1]);
        }
        return sb.append('}').toString();
    }

    /** Collects entries in order. A builder is spent by {@link #build()}, which hands over its array. */
    public static final class Builder {

        private String[] pairs;
        private int size;

        private Builder(int expectedSize) {
            this.pairs = new String[Math.max(1, expectedSize) * 2];
        }

        public Builder add(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (pairs == null) {
                throw new IllegalStateException("builder already built");
            }
            if (size * 2 == pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[size * 2] = name;
            pairs[size * 2 + 1] = value;
            size++;
            return this;
        }

        public Builder addAll(StompHeaders headers) {
            headers.forEach(this::add);
            return this;
        }

        public int size() {
            return size;
        }

        /** The first value added under {@code name}, or null. */
        public String get(String name) {
            for (int i = 0, n = size * 2; i < n; i += 2) {
                if (pairs[i].equals(name)) {
                    return pairs[i + 1];
                }
            }
            return null;
        }

        public StompHeaders build() {
            if (pairs == null) {
                throw new IllegalStateException("builder already built");
            }
            StompHeaders headers = size == 0 ? EMPTY : new StompHeaders(pairs, size);
            pairs = null;
            return headers;
        }
    }
}
