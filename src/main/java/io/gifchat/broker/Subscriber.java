package io.gifchat.broker;

import io.gifchat.stomp.StompVersion;

/** A connection as the broker sees it: someone to hand already-encoded MESSAGE frames to. */
public interface Subscriber {

    /** The identity this connection belongs to; user destinations are per identity, across all its connections. */
    String user();

    /** The protocol version the subscriber speaks: header escaping of its subscription lines depends on it. */
    StompVersion version();

    /**
     * Queues one encoded MESSAGE frame ({@code text}: its body is UTF-8). The array is shared with other subscribers
     * and must not be modified. Must not block: a connection that cannot keep up cuts itself, it never slows the
     * publisher down.
     */
    void deliver(byte[] frame, boolean text);
}
