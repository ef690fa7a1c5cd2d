package io.gifchat.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code gifchat.stomp.connections}, {@code gifchat.stomp.slow-consumers}, {@code gifchat.stomp.errors}. */
@Component
class StompMetrics {

    private final MeterRegistry registry;
    private final Counter slowConsumers;

    StompMetrics(MeterRegistry registry, Connections connections) {
        this.registry = registry;
        this.slowConsumers = Counter.builder("gifchat.stomp.slow-consumers")
                .description("connections cut because their outbound queue overflowed").register(registry);
        Gauge.builder("gifchat.stomp.connections", connections, Connections::count)
                .description("CONNECTED STOMP connections").register(registry);
    }

    void slowConsumer() {
        slowConsumers.increment();
    }

    double slowConsumers() {
        return slowConsumers.count();
    }

    void error(String reason) {
        // The reason is one of our own short messages, but may carry a destination: keep the tag's values bounded.
        String tag = reason.startsWith("destination not allowed") || reason.startsWith("not allowed to ")
                ? "destination not allowed" : reason;
        registry.counter("gifchat.stomp.errors", "reason", tag).increment();
    }
}
