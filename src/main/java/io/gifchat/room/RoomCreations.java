package io.gifchat.room;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gifchat.domain.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Creates a room once per idempotency key. The create form carries a random key per rendering (and the JSON API
 * takes one in {@code Idempotency-Key}); a second request with the same key from the same identity within
 * {@code idempotency-window} — a double click, htmx sending a queued submit after the first, a retry after a lost
 * answer — gets the room the first one made, even while that one is still being made. A key is remembered only
 * for a creation that succeeded or is under way: a refused one (an invalid form, a spent budget, a store error)
 * is forgotten at once, so the corrected form can be sent with the same key.
 *
 * <p>Once begun, a keyed creation runs to its end even if its request goes away: the retry that follows a lost
 * answer must find the room, not half of one. The keys live in one bounded, expiring map (Caffeine, on the
 * application clock): at most {@code idempotency-keys}; past that bound some are forgotten early, and a repeat of
 * a forgotten key makes a second room — still within the creator's room budget.
 */
@Component
class RoomCreations {

    private static final Logger log = LoggerFactory.getLogger(RoomCreations.class);
    static final int KEY_MAX_LENGTH = 128;

    /** What must match for a repeat to be the same request; the password itself is not kept. */
    record Shape(String title, int max, boolean locked) {
        static Shape of(NewRoom form) {
            return new Shape(form.cleanTitle(), form.cleanMax(), form.cleanPassword() != null);
        }
    }

    /** One keyed creation: the form's shape, and the room once made (or the creation's failure). */
    record Attempt(Shape shape, CompletableFuture<Room> room) {
        boolean made(String roomId) {
            return room.isDone() && !room.isCompletedExceptionally() && room.join().id().equals(roomId);
        }
    }

    private final Cache<String, Attempt> attempts;
    private final RoomRepository repository;

    RoomCreations(RoomProperties properties, Clock clock, RoomRepository repository) {
        this.repository = repository;
        this.attempts = Caffeine.newBuilder()
                .expireAfterWrite(properties.idempotencyWindow())
                .maximumSize(properties.idempotencyKeys())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run) // evictions are cheap: in the caller, not on the common pool
                .build();
    }

    /**
     * The room {@code identityId} made with {@code key} (re-read: it may have changed or gone), or the one
     * {@code create} makes now. A repeat with another form is refused: it is not the same request.
     *
     * @throws Refusal (as the Mono's error) {@code INVALID} for a malformed key or a repeat with another form;
     *                 {@code NOT_FOUND} when the room it made was deleted meanwhile
     */
    Mono<Room> once(String identityId, String key, NewRoom form, Supplier<Mono<Room>> create) {
        return Mono.defer(() -> {
            String slot = identityId + " " + clean(key);
            Attempt mine = new Attempt(Shape.of(form), new CompletableFuture<>());
            Attempt held = attempts.asMap().putIfAbsent(slot, mine);
            if (held == null) {
                AtomicBoolean abandoned = new AtomicBoolean();
                create.get()
                        .doOnError(e -> {
                            // Forgotten before the failure is told, so a retry after it never finds the failed attempt.
                            attempts.asMap().remove(slot, mine);
                            if (abandoned.get() && !(e instanceof Refusal)) {
                                log.warn("Creating a room failed after its caller stopped waiting: {}", e.toString());
                            }
                        })
                        .toFuture()
                        .whenComplete((room, error) -> {
                            if (error != null) {
                                mine.room().completeExceptionally(error);
                            } else {
                                mine.room().complete(room);
                            }
                        });
                return Mono.fromFuture(mine.room(), true).doOnCancel(() -> abandoned.set(true));
            }
            if (!held.shape().equals(mine.shape())) {
                return Mono.error(Refusal.invalid("This create request was already sent for a different room; "
                        + "reload the page (or send a new Idempotency-Key) to create another.", Map.of()));
            }
            return Mono.fromFuture(held.room(), true)
                    .flatMap(room -> repository.findById(room.id()))
                    .switchIfEmpty(Mono.error(() -> Refusal.of(Refusal.Reason.NOT_FOUND, "No such room.")));
        });
    }

    /** A deleted room's keys go with it: a repeat then makes a new room. */
    void forget(String roomId) {
        attempts.asMap().values().removeIf(attempt -> attempt.made(roomId));
    }

    /** How many keys are remembered now (tests check the bound). */
    long remembered() {
        attempts.cleanUp();
        return attempts.estimatedSize();
    }

    /**
     * The key as sent: visible ASCII, 1 to {@value #KEY_MAX_LENGTH} characters; the quotes of the IETF draft's
     * structured-field form ({@code Idempotency-Key: "8e03978e-…"}) are taken off.
     */
    static String clean(String key) {
        String value = key.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty() || value.length() > KEY_MAX_LENGTH || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw Refusal.invalid("The idempotency key must be 1 to " + KEY_MAX_LENGTH
                    + " visible ASCII characters.", Map.of());
        }
        return value;
    }
}
