package io.gifchat.cluster;

import io.gifchat.domain.Announcement;

/**
 * A notice another node posted, announced on this node for the modules that act on its kind (they add their
 * reactive work with {@link #andThen}). Never announced for this node's own notices: what it posts it did already.
 */
public final class NoticeArrived extends Announcement {

    private final String origin;
    private final Notice notice;

    /** Made by the bulletin when a notice arrives (and by tests that play another node). */
    public NoticeArrived(String origin, Notice notice) {
        this.origin = origin;
        this.notice = notice;
    }

    /** The id of the node that posted it. */
    public String origin() {
        return origin;
    }

    public Notice notice() {
        return notice;
    }

    @Override
    public String toString() {
        return "NoticeArrived[" + origin + ", " + notice + "]";
    }
}
