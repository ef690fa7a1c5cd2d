package io.gifchat.domain;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Something that happened, published as a Spring application event by the module it happened in (a subscription
 * ended, a member joined, a room was deleted) for modules above it to react to. Listeners are plain
 * {@code @EventListener} methods, called synchronously and in {@code @Order} while the event is published; one that
 * has reactive work to do (store a line, delete files) adds it with {@link #andThen}, and the {@link Announcer}
 * runs that work, in listener order, as part of the operation that caused the event. So a lower module never
 * depends on, or calls, an upper one, and yet a SUBSCRIBE's RECEIPT still follows the join line it caused.
 */
public abstract class Announcement {

    // Written only by listeners while the event is being published, on the publishing thread; read afterwards.
    private final List<Mono<Void>> followUps = new ArrayList<>(2);

    /** Work to run after every listener has been told, in the order it was added; subscribed once. */
    public final void andThen(Mono<Void> work) {
        followUps.add(work);
    }

    final List<Mono<Void>> followUps() {
        return followUps;
    }
}
