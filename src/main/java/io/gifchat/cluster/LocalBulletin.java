package io.gifchat.cluster;

/** One node: no other node to tell; Redis is never touched. */
final class LocalBulletin implements Bulletin {

    @Override
    public void post(Notice notice) {
    }
}
