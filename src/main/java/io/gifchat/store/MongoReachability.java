package io.gifchat.store;

import java.util.concurrent.atomic.AtomicBoolean;

import com.mongodb.connection.ServerConnectionState;
import com.mongodb.event.ClusterDescriptionChangedEvent;
import com.mongodb.event.ClusterListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One clear log line when MongoDB becomes unreachable and one when it is back, instead of the driver's stack trace
 * on every retry (its {@code org.mongodb.driver.cluster} logger is turned down in application.yaml).
 */
class MongoReachability implements ClusterListener {

    private static final Logger log = LoggerFactory.getLogger(MongoReachability.class);

    private final AtomicBoolean reachable = new AtomicBoolean(true);

    @Override
    public void clusterDescriptionChanged(ClusterDescriptionChangedEvent event) {
        var servers = event.getNewDescription().getServerDescriptions();
        if (servers.stream().anyMatch(s -> s.getState() == ServerConnectionState.CONNECTED)) {
            if (reachable.compareAndSet(false, true)) {
                log.info("MongoDB is reachable again");
            }
            return;
        }
        // Still CONNECTING without an error is the normal start, not an outage.
        servers.stream().filter(s -> s.getException() != null).findFirst().ifPresent(failed -> {
            if (reachable.compareAndSet(true, false)) {
                log.warn("MongoDB at {} is unreachable ({}); health is DOWN and the driver keeps retrying",
                        failed.getAddress(), failed.getException().getMessage());
            }
        });
    }
}
