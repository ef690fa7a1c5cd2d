package io.gifchat.cluster;

import java.time.Duration;

import io.gifchat.domain.Announcer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every {@code gifchat.cluster.heartbeat}: tells Redis this node is alive and puts its subscriptions right. A failed
 * beat (Redis down) is logged once per outage; the beats go on and the node counts as alive again with the first
 * that works. On a clean shutdown the node leaves the set, so nobody waits for it to time out.
 */
final class Heartbeat implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final Nodes nodes;
    private final Relay relay;
    private final Announcer announcer;
    private final Duration interval;
    private volatile Disposable beating;
    private volatile boolean failing;

    Heartbeat(Nodes nodes, Relay relay, Announcer announcer, ClusterProperties properties) {
        this.nodes = nodes;
        this.relay = relay;
        this.announcer = announcer;
        this.interval = properties.heartbeat();
    }

    @Override
    public void start() {
        beating = Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(tick -> nodes.beat()
                        .timeout(interval)
                        .flatMap(lost -> {
                            relay.repair();
                            boolean back = failing;
                            if (back) {
                                failing = false;
                                log.info("Redis answers again: node {} is back in the cluster", nodes.self().id());
                            }
                            if (lost) {
                                log.warn("Redis lost the cluster's data (restarted without persistence?): putting this node's back");
                            }
                            return back || lost
                                    ? announcer.announceTolerantly(() -> new ClusterEvents.RedisRecovered(lost))
                                    : Mono.<Void>empty();
                        })
                        .onErrorResume(e -> {
                            if (!failing) {
                                failing = true;
                                log.warn("Cannot reach Redis ({}); this node serves its own clients meanwhile", e.toString());
                            }
                            return Mono.empty();
                        }))
                .subscribe(done -> {
                }, e -> log.error("Heartbeat stopped", e));
    }

    @Override
    public void stop() {
        stop(() -> {
        });
    }

    /** Leaves the cluster's set (at most a second: Redis may be down) before telling Spring it stopped. */
    @Override
    public void stop(Runnable stopped) {
        Disposable current = beating;
        beating = null;
        if (current == null) {
            stopped.run();
            return;
        }
        current.dispose();
        nodes.leave().timeout(Duration.ofSeconds(1))
                .doOnError(e -> log.debug("Could not leave the cluster's set ({}); the others time this node out", e.toString()))
                .doFinally(signal -> stopped.run())
                .subscribe(done -> {
                }, e -> {
                });
    }

    @Override
    public boolean isRunning() {
        return beating != null;
    }
}
