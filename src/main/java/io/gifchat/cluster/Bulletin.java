package io.gifchat.cluster;

/**
 * Where a node posts what the other nodes must act on ({@link Notice}); each of them announces it as
 * {@link NoticeArrived}, and the module that posted its kind listens. Posting never waits and never fails its
 * caller: the action it accompanies completes on this node whatever Redis does. On one node there is nobody to
 * tell, and posting does nothing.
 */
public interface Bulletin {

    /** To every other node, in the order posted, after what this node published to subscribers before it. */
    void post(Notice notice);
}
