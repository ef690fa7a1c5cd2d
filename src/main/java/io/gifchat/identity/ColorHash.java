package io.gifchat.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A port of npm color-hash 2.0.x with its defaults ({@code new ColorHash().hex(str)}): SHA-256 of the UTF-8 string,
 * its first 32 bits pick hue, saturation and lightness, then HSL to RGB exactly as the package computes it, in
 * doubles and in the same order, so the hex is identical. Verified against vectors the package itself produced
 * ({@code scripts/color-hash/vectors.mjs}).
 */
public final class ColorHash {

    // "note that 3 is a prime": the package's default lightness and saturation choices
    private static final double[] LIGHTNESS = {0.35, 0.5, 0.65};
    private static final double[] SATURATION = {0.35, 0.5, 0.65};

    private ColorHash() {
    }

    public static String hex(String input) {
        long hash = hash(input);
        double hue = hash % 359;
        hash = ceilDiv(hash, 360);
        double saturation = SATURATION[(int) (hash % SATURATION.length)];
        hash = ceilDiv(hash, SATURATION.length);
        double lightness = LIGHTNESS[(int) (hash % LIGHTNESS.length)];
        return toHex(hslToRgb(hue, saturation, lightness));
    }

    /** {@code parseInt(sha256.hex().substring(0, 8), 16)}: the digest's first four bytes, unsigned. */
    static long hash(String input) {
        byte[] digest = sha256().digest(input.getBytes(StandardCharsets.UTF_8));
        return ((digest[0] & 0xffL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8) | (digest[3] & 0xffL);
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }

    private static int[] hslToRgb(double hue, double s, double l) {
        double h = hue / 360;
        double q = l < 0.5 ? l * (1 + s) : l + s - l * s;
        double p = 2 * l - q;
        return new int[] {channel(h + 1.0 / 3, p, q), channel(h, p, q), channel(h - 1.0 / 3, p, q)};
    }

    private static int channel(double color, double p, double q) {
        if (color < 0) {
            color++;
        }
        if (color > 1) {
            color--;
        }
        double value;
        if (color < 1.0 / 6) {
            value = p + (q - p) * 6 * color;
        } else if (color < 0.5) {
            value = q;
        } else if (color < 2.0 / 3) {
            value = p + (q - p) * 6 * (2.0 / 3 - color);
        } else {
            value = p;
        }
        // Math.round in JS rounds half up, as Java's does for these non-negative values.
        return (int) Math.round(value * 255);
    }

    private static String toHex(int[] rgb) {
        return "#" + HexFormat.of().toHexDigits((byte) rgb[0]) + HexFormat.of().toHexDigits((byte) rgb[1])
                + HexFormat.of().toHexDigits((byte) rgb[2]);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
