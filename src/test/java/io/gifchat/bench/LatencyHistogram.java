package io.gifchat.bench;

/**
 * A fixed-size log-linear histogram of nanosecond values (HdrHistogram's layout in miniature): values below
 * 256 ns have their own bucket, above that every power of two is split into 128 buckets, so a reported value
 * is at most 1/128 (0.8 %) above the true one. Covers up to 2^40 ns (18 minutes); larger values are clamped.
 * Recording is allocation-free. Not thread-safe: one writer (an event-loop thread); merge copies taken on that
 * thread.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXP = 40;
    private static final int BUCKETS = SUB * (MAX_EXP - SUB_BITS) + 2 * SUB;
    private static final long MAX_VALUE = (1L << MAX_EXP) - 1;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;
    private long min = Long.MAX_VALUE;
    private long sum;

    void record(long valueNs) {
        long v = valueNs < 0 ? 0 : Math.min(valueNs, MAX_VALUE);
        counts[index(v)]++;
        total++;
        sum += v;
        if (v > max) {
            max = v;
        }
        if (v < min) {
            min = v;
        }
    }

    static int index(long v) {
        if (v < 2 * SUB) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
        return (int) ((long) SUB * shift + (v >>> shift));
    }

    /** The highest value that lands in bucket {@code i}. */
    static long highestInBucket(int i) {
        if (i < 2 * SUB) {
            return i;
        }
        int shift = i / SUB - 1;
        long top = i - (long) SUB * shift;
        return ((top + 1) << shift) - 1;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
        min = Math.min(min, other.min);
    }

    LatencyHistogram copy() {
        LatencyHistogram h = new LatencyHistogram();
        h.add(this);
        return h;
    }

    long count() {
        return total;
    }

    long max() {
        return total == 0 ? 0 : max;
    }

    long min() {
        return total == 0 ? 0 : min;
    }

    double mean() {
        return total == 0 ? 0 : (double) sum / total;
    }

    /** The value at or below which {@code p} percent of the recorded values lie (bucket upper bound). */
    long percentile(double p) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p / 100.0 * total);
        if (rank < 1) {
            rank = 1;
        }
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestInBucket(i), max);
            }
        }
        return max;
    }
}
