package io.gifchat.domain;

import java.util.function.Supplier;

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

    /**
     * Tells the listeners when subscribed, then runs their follow-ups in order. Every follow-up runs even if an
     * earlier one failed (a room deletion still removes its GIFs when its lines could not be deleted); then the
     * first failure fails the whole. The event is made anew on each subscription, so follow-ups never run twice.
     */
    public Mono<Void> announce(Supplier<? extends Announcement> happened) {
        return Mono.defer(() -> {
            Announcement event = happened.get();
            events.publishEvent(event);
            return Flux.concatDelayError(Flux.fromIterable(event.followUps())).then();
        });
    }

    /**
     * As {@link #announce}, but a failing follow-up is only logged: for events whose cause must not fail because
     * of a listener (a connection's lifecycle). Listeners must not throw; one that does is logged, and Spring does
     * not call the listeners after it.
     */
    public Mono<Void> announceTolerantly(Supplier<? extends Announcement> happened) {
        return Mono.defer(() -> {
            Announcement event = happened.get();
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
