package io.gifchat.limits;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * "So much per so long", written {@code 20/1m} or, for bytes, {@code 50MB/10m}: a token bucket of {@code amount}
 * that refills completely, smoothly, over {@code per}. One notation for every budget keeps the configuration table
 * readable and a budget's meaning in one cell.
 */
public record Rate(long amount, Duration per) {

    public Rate {
        if (amount <= 0) {
            throw new IllegalArgumentException("a rate needs a positive amount, got " + amount);
        }
        Objects.requireNonNull(per, "per");
        if (per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate needs a positive period, got " + per);
        }
    }

    /**
     * @param text {@code amount/period}; amount is a count or a data size ({@code 5MB}), period a duration
     *             ({@code 10s}, {@code 1m}, {@code 1h}, ISO-8601 too)
     */
    public static Rate parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not a rate; write it as amount/period, e.g. 20/1m or 50MB/10m");
        }
        String amount = text.substring(0, slash).trim();
        Duration per = DurationStyle.detectAndParse(text.substring(slash + 1).trim());
        long value = amount.chars().allMatch(Character::isDigit) ? Long.parseLong(amount) : DataSize.parse(amount).toBytes();
        return new Rate(value, per);
    }

    @Override
    public String toString() {
        return amount + "/" + per;
    }
}
