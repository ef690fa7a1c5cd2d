package io.gifchat.domain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Publishes {@link Announcement}s and runs the follow-up work their listeners added. */
@Component
public class Announcer {

    private static final Logger log = LoggerFactory.getLogger(Announcer.class);

    private final ApplicationEventPublisher events;

    Announcer(ApplicationEventPublisher events) {
        this.events = events;
    }

    /** Tells the listeners when subscribed, then runs their follow-ups in order; the first failure fails it. */
    public Mono<Void> announce(Announcement event) {
        return Mono.defer(() -> {
            events.publishEvent(event);
            return Flux.concat(event.followUps()).then();
        });
    }

    /**
     * As {@link #announce}, but a failing follow-up is logged and the others still run: for events whose cause
     * must not fail because of a listener (a connection's lifecycle).
     */
    public Mono<Void> announceTolerantly(Announcement event) {
        return Mono.defer(() -> {
            try {
                events.publishEvent(event);
            } catch (RuntimeException e) {
                log.warn("A listener of {} failed: {}", event, e.toString());
            }
            return Flux.fromIterable(event.followUps())
                    .concatMap(work -> work.onErrorResume(e -> {
                        log.warn("Follow-up of {} failed: {}", event, e.toString());
                        return Mono.empty();
                    }))
                    .then();
        });
    }
}
