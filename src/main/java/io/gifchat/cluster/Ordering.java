package io.gifchat.cluster;

/**
 * Puts the messages of some destinations in order before this node's subscribers see them: in a cluster the nodes
 * write a room's lines each for their own senders, and lines published by two nodes can arrive in either order.
 * The orderer is handed every message of its destinations (this node's and the others') and delivers them with
 * {@link Delivery} in order, each once.
 */
public interface Ordering {

    /** Whether this orderer takes the destination's messages. */
    boolean orders(String destination);

    /** This node has started listening to the destination: what comes from now on is to be delivered in order. */
    void opened(String destination, Delivery delivery);

    /** One message of the destination, from this node or another; duplicates and late ones are possible. */
    void arrived(String destination, long order, String contentType, byte[] body);

    /** Nobody here subscribes to the destination any more: forget it. */
    void closed(String destination);

    /** To this node's subscribers of a destination, now. */
    interface Delivery {
        void deliver(String destination, String contentType, byte[] body);
    }
}
