package io.gifchat.limits;

import java.util.function.Function;

/**
 * Each budget: what it counts, whose it is, and the sentence a client reads when it is spent. The sentences are
 * the product's: they say what to do, never which bucket overflowed.
 */
public enum Budget {
    FRAMES(LimitsProperties::frames, "You are sending too many frames; slow down."),
    SUBSCRIPTION_CHANGES(LimitsProperties::subscriptionChanges, "You are joining and leaving too often; wait a moment."),
    HANDSHAKES(LimitsProperties::handshakes, "Too many connections from your address; try again in a moment."),
    NEW_SESSIONS(LimitsProperties::newSessions, "Too many new visitors from your address; try again later."),
    ROOMS(LimitsProperties::rooms, "You have created too many rooms; try again later."),
    ROOMS_PER_ADDRESS(LimitsProperties::roomsPerAddress, "Too many rooms were created from your address; try again later."),
    GIF_UPLOADS(LimitsProperties::gifUploads, "You are uploading too many GIFs; wait a moment."),
    GIF_BYTES(LimitsProperties::gifBytes, "You have uploaded too much; wait a while before the next GIF."),
    GIF_BYTES_PER_ROOM(LimitsProperties::gifBytesPerRoom, "This room has received too many GIFs; try again later."),
    PASSWORD_TRIES_PER_ADDRESS(LimitsProperties::passwordTriesPerAddress, "Too many password tries from your address; wait a minute."),
    ADMIN_LOGINS(LimitsProperties::adminLogins, "Too many login attempts; wait a minute.");

    private final Function<LimitsProperties, Rate> rate;
    private final String message;

    Budget(Function<LimitsProperties, Rate> rate, String message) {
        this.rate = rate;
        this.message = message;
    }

    Rate rate(LimitsProperties properties) {
        return rate.apply(properties);
    }

    /** What the client is told when this budget is spent. */
    public String message() {
        return message;
    }
}
