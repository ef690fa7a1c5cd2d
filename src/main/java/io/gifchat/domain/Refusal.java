package io.gifchat.domain;

import java.time.Duration;
import java.util.Map;

/**
 * Domain code refusing something: a {@link Reason} and a message meant for the person who asked, safe to show as
 * it is. Thrown at the centre, translated at the edges: a ProblemDetail with the reason's HTTP status for HTTP
 * ({@code web}), a STOMP ERROR for a refused SUBSCRIBE, or a notice on {@code /user/queue/errors} for a refused
 * {@code /app} SEND, after which the connection stays open ({@code messaging}). Carries no stack trace: it is an
 * answer, not a bug.
 */
public final class Refusal extends RuntimeException {

    /** Why, independent of the transport. Each edge maps every reason; nothing here knows HTTP or STOMP. */
    public enum Reason {
        /** The input is malformed or breaks a rule (HTTP 400). */
        INVALID,
        /** The thing asked for does not exist (404). */
        NOT_FOUND,
        /** It exists, but this identity may not do that (403). */
        NOT_ALLOWED,
        /** No space left: the room is full (409). */
        FULL,
        /** Too many tries or messages in a window (429). */
        TOO_MANY,
        /** The upload is larger than allowed (413). */
        TOO_LARGE,
        /** It existed and is gone, e.g. the room was deleted while the request waited (410). */
        GONE,
        /** The server cannot take it right now (a full queue, a timeout); trying again later may work (503). */
        BUSY
    }

    private final Reason reason;
    private final Map<String, String> fields;
    private final String clientId;
    private final Duration retryAfter;

    private Refusal(Reason reason, String message, Map<String, String> fields, String clientId, Duration retryAfter) {
        super(message, null, false, false);
        this.reason = reason;
        this.fields = Map.copyOf(fields);
        this.clientId = clientId;
        this.retryAfter = retryAfter;
    }

    public static Refusal of(Reason reason, String message) {
        return new Refusal(reason, message, Map.of(), null, null);
    }

    /** A spent budget ({@link Reason#TOO_MANY}) that will allow the action again after {@code retryAfter}. */
    public static Refusal tooMany(String message, Duration retryAfter) {
        return new Refusal(Reason.TOO_MANY, message, Map.of(), null, retryAfter);
    }

    /** A form refused field by field: field name → message. */
    public static Refusal invalid(String message, Map<String, String> fields) {
        return new Refusal(Reason.INVALID, message, fields, null, null);
    }

    /** The same refusal, naming the client's own id of the refused request so the client can mark it. */
    public Refusal forClientId(String id) {
        return id == null ? this : new Refusal(reason, getMessage(), fields, id, retryAfter);
    }

    public Reason reason() {
        return reason;
    }

    /** Field name → message, for a refused form; empty otherwise. */
    public Map<String, String> fields() {
        return fields;
    }

    /** The client's id of the refused request (a chat message's {@code clientId}), or null. */
    public String clientId() {
        return clientId;
    }

    /** When trying again can succeed (HTTP {@code Retry-After}), or null when unknown. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * {@link #retryAfter()} as an HTTP {@code Retry-After} value: whole seconds, rounded up (a client coming back
     * sooner would be refused again), at least one; null when unknown.
     */
    public String retryAfterSeconds() {
        return retryAfter == null ? null : Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
    }
}
