package io.gifchat.cluster;

import java.util.concurrent.atomic.AtomicLong;

import io.gifchat.domain.Announcer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;

/**
 * The cluster's bulletin: one channel, {@code <namespace>:notices}, that every node listens to from its start and
 * posts to, on the relay's connections (so a notice follows, on every node, what its poster published to
 * subscribers before it). A node ignores its own notices; another node's is announced as {@link NoticeArrived}
 * on the Lettuce thread that received it, so notices are acted on in the order they were posted — their listeners'
 * work is small (ending a few subscriptions, dropping a cache entry) and does not block.
 * <p>
 * Redis down: a notice that cannot be posted is lost for the other nodes (logged once per outage, counted) and the
 * action it accompanies completes on this node; nothing is posted again later, when it may be stale. What that
 * leaves on the other nodes is listed in the README (Decisions, cluster notices).
 */
final class RedisBulletin implements Bulletin, SmartLifecycle {

    static final String CHANNEL = "notices";

    private static final Logger log = LoggerFactory.getLogger(RedisBulletin.class);

    private final Relay relay;
    private final Node node;
    private final Announcer announcer;
    private final AtomicLong unposted = new AtomicLong();
    private volatile boolean failing;
    private volatile boolean running;

    RedisBulletin(Relay relay, Node node, Announcer announcer) {
        this.relay = relay;
        this.node = node;
        this.announcer = announcer;
    }

    @Override
    public void post(Notice notice) {
        relay.send(CHANNEL, new PostedNotice(node.id(), notice).encode()).whenComplete((listeners, error) -> {
            if (error != null) {
                failed(notice, error);
            } else if (failing) {
                failing = false;
                log.info("Posting notices to the other nodes works again ({} did not reach them meanwhile)",
                        unposted.get());
            }
        });
    }

    /** Completes once Redis confirmed this node listens to the notices (at most the subscribe timeout). */
    Mono<Void> listening() {
        return relay.listeningTo(CHANNEL);
    }

    /** Notices that could not be posted (Redis down), since the start. */
    long unposted() {
        return unposted.get();
    }

    /**
     * Listens from before the web server takes connections (its phase is later), and after every bean, so the
     * listeners of {@link NoticeArrived} are all registered when the first one arrives.
     */
    @Override
    public void start() {
        relay.listen(CHANNEL, this::arrived);
        running = true;
    }

    /** The subscription goes with the relay's connection, closed after the web server stopped. */
    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096; // before the web server starts (Boot: DEFAULT_PHASE - 2048)
    }

    private void arrived(byte[] message) {
        PostedNotice posted;
        try {
            posted = PostedNotice.decode(message);
        } catch (IllegalArgumentException e) {
            log.warn("Ignored a message on the notices channel: {}", e.getMessage());
            return;
        }
        if (node.id().equals(posted.origin())) {
            return; // this node acted on it already
        }
        // A lifecycle's own subscription: nobody waits for it. Follow-up failures are logged by the announcer.
        announcer.announceTolerantly(() -> new NoticeArrived(posted.origin(), posted.notice()))
                .subscribe(done -> {
                }, e -> log.warn("Acting on {} from node {} failed", posted.notice(), posted.origin(), e));
    }

    private void failed(Notice notice, Throwable error) {
        unposted.incrementAndGet();
        log.debug("Could not post {} to the other nodes: {}", notice, error.toString());
        if (!failing) {
            failing = true;
            log.warn("Cannot post notices to the other nodes ({}); actions take effect on this node only meanwhile",
                    error.toString());
        }
    }
}
