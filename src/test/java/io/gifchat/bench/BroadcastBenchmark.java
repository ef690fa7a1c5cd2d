package io.gifchat.bench;

import reactor.netty.http.client.HttpClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Broadcast benchmark of the STOMP server against a raw Reactor Netty ceiling ({@link RawBroadcastServer}).
 * A main, not a test. Run it with {@code scripts/bench.sh [--key=value ...]}; every key can also be given as a
 * system property {@code -Dbench.key=value}.
 *
 * <p>For each target (raw ceiling, STOMP app), in a fresh server JVM: N subscribers connect (STOMP CONNECT +
 * SUBSCRIBE with a receipt), one publisher SENDs R messages/s to /topic/bench for warmup + measure seconds,
 * every subscriber records send-to-receive latency of the measured messages. Printed: deliveries/s, server
 * CPU seconds over the measured window, deliveries per server CPU-second, latency percentiles, lost
 * deliveries, the STOMP/raw ratio; then the STOMP app's idle heap per connection (K idle STOMP sessions,
 * class histogram after full GC, before and after).
 *
 * <p>Keys (defaults reproduce the product goal): subscribers=200, rate=200, payload=128 (body bytes),
 * warmup=5, measure=15 (seconds), idle=2000 (connections of the heap test), targets=raw,stomp,heap
 * (also: profile = a JFR CPU profile of the STOMP server under the same load), rawMode=direct (direct|loop|sink),
 * serverJvm="-Xms512m -Xmx512m -XX:+UseG1GC", appClasspath, rawClasspath (default: this JVM's class path),
 * appArgs (extra app arguments, space separated), logDir=target/bench, drain=5 (seconds to wait for in-flight
 * deliveries), connectConcurrency=64, repeat=1 (rounds of raw + stomp, alternating; the summary takes medians).
 */
public final class BroadcastBenchmark {

    static final double GOAL_P99_MS = 10.0;
    static final double GOAL_RATIO = 0.85;
    static final double GOAL_HEAP_BYTES = 6 * 1024;
    /** Other processes' CPU use above which a measured window is flagged as disturbed. */
    static final double BUSY_CORES = 0.25;

    private final Map<String, String> options;
    private final int subscribers;
    private final int rate;
    private final int payload;
    private final int warmupSeconds;
    private final int measureSeconds;
    private final int idle;
    private final int drainSeconds;
    private final int connectConcurrency;
    private final int repeat;
    private final List<String> targets;
    private final String rawMode;
    private final List<String> serverJvm;
    private final String appClasspath;
    private final String rawClasspath;
    private final List<String> appArgs;
    private final Path logDir;

    private BroadcastBenchmark(Map<String, String> options) {
        this.options = options;
        subscribers = intOpt("subscribers", 200);
        rate = intOpt("rate", 200);
        payload = intOpt("payload", 128);
        warmupSeconds = intOpt("warmup", 5);
        measureSeconds = intOpt("measure", 15);
        idle = intOpt("idle", 2000);
        drainSeconds = intOpt("drain", 5);
        connectConcurrency = intOpt("connectConcurrency", 64);
        repeat = Math.max(1, intOpt("repeat", 1));
        targets = List.of(opt("targets", "raw,stomp,heap").split(","));
        rawMode = opt("rawMode", "direct");
        serverJvm = split(opt("serverJvm", "-Xms512m -Xmx512m -XX:+UseG1GC"));
        appClasspath = opt("appClasspath", System.getProperty("java.class.path"));
        rawClasspath = opt("rawClasspath", System.getProperty("java.class.path"));
        appArgs = split(opt("appArgs", ""));
        logDir = Path.of(opt("logDir", "target/bench"));
        if (payload < BenchConnection.MIN_BODY) {
            throw new IllegalArgumentException("payload must be at least " + BenchConnection.MIN_BODY + " bytes");
        }
        if (subscribers < 1 || rate < 1 || rate > 100_000 || measureSeconds < 1 || warmupSeconds < 0
                || idle < 0 || subscribers > 15_000 || idle > 15_000) {
            throw new IllegalArgumentException("out of range: subscribers 1..15000, rate 1..100000, measure >= 1, "
                    + "warmup >= 0, idle 0..15000");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("bench.")) {
                options.put(k.toString().substring(6), v.toString());
            }
        });
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println("usage: scripts/bench.sh [--subscribers=200] [--rate=200] [--payload=128] "
                        + "[--warmup=5] [--measure=15] [--idle=2000] [--targets=raw,stomp,heap[,profile]] "
                        + "[--rawMode=direct|loop|sink] [--serverJvm='-Xms512m -Xmx512m -XX:+UseG1GC'] "
                        + "[--appArgs='--x=y'] [--drain=5] [--repeat=1]");
                return;
            }
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("arguments are --key=value, got " + a);
            }
            options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        BroadcastBenchmark bench = new BroadcastBenchmark(options);
        // A watchdog: whatever happens, the benchmark ends (the shutdown hook then kills the servers).
        long budgetSeconds = 300L + (2L * bench.repeat + 1) * (bench.warmupSeconds + bench.measureSeconds
                + bench.drainSeconds + 120) + bench.idle / 10;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(budgetSeconds * 1000);
                System.err.println("benchmark exceeded its " + budgetSeconds + " s budget; stopping");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // done in time
            }
        }, "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        int status;
        try {
            status = bench.run();
        } catch (Throwable t) {
            System.out.flush();
            System.err.println("benchmark failed: " + t);
            t.printStackTrace();
            status = 1;
        }
        watchdog.interrupt();
        System.out.flush();
        System.exit(status);
    }

    private int run() throws Exception {
        System.out.printf(Locale.ROOT, "broadcast benchmark: %d subscribers x %d msg/s = %,d deliveries/s target, "
                        + "%d-byte body, warmup %d s, measure %d s; server JVM %s; %d cores; client pid %d%n",
                subscribers, rate, (long) subscribers * rate, payload, warmupSeconds, measureSeconds,
                String.join(" ", serverJvm), Runtime.getRuntime().availableProcessors(), ProcessHandle.current().pid());
        Map<String, List<Result>> results = new LinkedHashMap<>();
        Double heapPerConnection = null;
        boolean failed = false;
        List<String> throughputTargets = targets.stream().map(String::trim)
                .filter(t -> t.equals("raw") || t.equals("stomp")).toList();
        for (String target : targets) {
            if (!List.of("raw", "stomp", "heap", "profile", "").contains(target.trim())) {
                throw new IllegalArgumentException("unknown target " + target);
            }
        }
        // raw and stomp alternate round by round, so a machine getting busier or quieter biases neither.
        for (int round = 1; round <= repeat; round++) {
            for (String target : throughputTargets) {
                try {
                    if (repeat > 1) {
                        System.out.printf(Locale.ROOT, "%n-- round %d of %d --%n", round, repeat);
                    }
                    Result r = throughput(target);
                    results.computeIfAbsent(target, k -> new ArrayList<>()).add(r);
                    r.print();
                } catch (Exception e) {
                    failed = true;
                    System.out.println("[" + target + "] FAILED: " + e.getMessage());
                }
            }
        }
        for (String target : targets) {
            switch (target.trim()) {
                case "profile" -> {
                    try {
                        Result r = throughput("profile");
                        results.computeIfAbsent("profile", k -> new ArrayList<>()).add(r);
                        r.print();
                    } catch (Exception e) {
                        failed = true;
                        System.out.println("[profile] FAILED: " + e.getMessage());
                    }
                }
                case "heap" -> {
                    try {
                        heapPerConnection = idleHeap();
                    } catch (Exception e) {
                        failed = true;
                        System.out.println("[heap] FAILED: " + e.getMessage());
                    }
                }
                default -> { }
            }
        }
        System.out.println();
        System.out.println("== summary ==");
        if (!results.isEmpty()) {
            System.out.println(Result.HEADER);
            results.values().forEach(rs -> rs.forEach(r -> System.out.println(r.row())));
        }
        List<Result> raws = results.getOrDefault("raw", List.of());
        List<Result> stomps = results.getOrDefault("stomp", List.of());
        String of = repeat > 1 ? " (median of " + stomps.size() + " STOMP runs)" : "";
        if (!raws.isEmpty() && !stomps.isEmpty()) {
            double ratio = median(stomps, Result::perCpuSecond) / median(raws, Result::perCpuSecond);
            System.out.printf(Locale.ROOT, "STOMP/raw deliveries per server CPU-second: %.3f%s (goal >= %.2f: %s)%n",
                    ratio, repeat > 1 ? " (medians of " + stomps.size() + " STOMP and " + raws.size() + " raw runs)"
                            : "", GOAL_RATIO, ratio >= GOAL_RATIO ? "MET" : "NOT MET");
        }
        if (!stomps.isEmpty()) {
            double p99 = median(stomps, r -> r.latency.percentile(99) / 1e6);
            long lost = stomps.stream().mapToLong(Result::lost).sum();
            System.out.printf(Locale.ROOT, "STOMP p99 latency: %.2f ms%s (goal <= %.0f ms: %s); lost %d; "
                            + "deliveries/s %.0f of %d offered (%s)%n", p99, of, GOAL_P99_MS,
                    p99 <= GOAL_P99_MS ? "MET" : "NOT MET", lost, median(stomps, Result::deliveriesPerSecond),
                    (long) subscribers * rate, lost == 0 ? "none lost" : "LOSSES");
        }
        double busiest = results.values().stream().flatMap(List::stream)
                .mapToDouble(r -> r.othersCpuSeconds / r.windowSeconds).max().orElse(0);
        if (busiest > BUSY_CORES) {
            System.out.printf(Locale.ROOT, "WARNING: other processes used up to %.2f of %d cores during a measured "
                    + "window: CPU and latency figures are disturbed; rerun on a quiet machine (or --repeat=3)%n",
                    busiest, Runtime.getRuntime().availableProcessors());
        }
        if (heapPerConnection != null) {
            System.out.printf(Locale.ROOT, "STOMP idle heap per connection: %.0f bytes (goal <= %.0f: %s)%n",
                    heapPerConnection, GOAL_HEAP_BYTES, heapPerConnection <= GOAL_HEAP_BYTES ? "MET" : "NOT MET");
        }
        return failed ? 1 : 0;
    }

    // ------------------------------------------------------------------ throughput

    private ServerProcess startServer(String target, String name) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        ServerProcess server;
        if (target.equals("raw")) {
            server = ServerProcess.start(name, port, serverJvm, rawClasspath, RawBroadcastServer.class.getName(),
                    List.of(Integer.toString(port), rawMode), logDir);
        } else {
            List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                    "--gifchat.embedded-mongo.storage=memory",
                    "--gifchat.stomp.open-destinations=" + BenchConnection.DESTINATION,
                    "--gifchat.limits.enabled=false",
                    // The subscribers only read (heart-beat 0,0): a long run must not lose them to the idle timeout.
                    "--gifchat.stomp.idle-timeout=0s"));
            args.addAll(appArgs);
            server = ServerProcess.start(name, port, serverJvm, appClasspath, "io.gifchat.GifChatApplication", args,
                    logDir);
        }
        try {
            server.awaitReady(Duration.ofSeconds(120));
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private Result throughput(String target) throws Exception {
        boolean stomp = !target.equals("raw");
        String label = target.equals("raw") ? "raw ceiling (" + rawMode + ")" : target.equals("profile")
                ? "STOMP app + JFR" : "STOMP app";
        System.out.println();
        System.out.println("[" + target + "] starting " + label + " ...");
        BenchConnection.Totals totals = new BenchConnection.Totals();
        List<BenchConnection> subs = new ArrayList<>();
        BenchConnection[] pubHolder = new BenchConnection[1];
        try (ServerProcess server = startServer(target, target + "-server")) {
          try {
            System.out.printf(Locale.ROOT, "[%s] server pid %d ready on port %d; log %s%n", target, server.pid(),
                    server.port, server.log);
            HttpClient subClient = BenchConnection.client(server.port, false);
            int ready = openAll(subClient, server.port, subscribers, stomp, true, totals, subs,
                    Duration.ofSeconds(60 + subscribers / 20));
            if (ready < subscribers) {
                throw new IllegalStateException(ready + " of " + subscribers + " subscribers ready; first error: "
                        + firstError(subs) + "\nserver log tail:\n" + server.tail(20));
            }
            if (subs.get(0).connectedHeaders != null) {
                System.out.println("[" + target + "] CONNECTED headers: " + subs.get(0).connectedHeaders);
            }
            BenchConnection pub = new BenchConnection(-1, stomp, true, false, totals);
            pubHolder[0] = pub;
            pub.connect(BenchConnection.client(server.port, true), server.port);
            pub.ready.get(30, TimeUnit.SECONDS);
            int threadsBefore = server.threads();

            String jfr = null;
            if (target.equals("profile")) { // before the load: jcmd takes seconds and must not eat the window
                jfr = logDir.toAbsolutePath().resolve("stomp-profile.jfr").toString();
                server.jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
            }
            Publisher publisher = new Publisher(pub, rate, payload, warmupSeconds, measureSeconds);
            publisher.start();
            sleepUntil(publisher.measureStartNanos);
            Duration cpu0 = server.cpu();
            double busy0 = machineBusySeconds();
            Duration clientCpu0 = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
            long t0 = System.nanoTime();
            publisher.join(TimeUnit.SECONDS.toMillis(warmupSeconds + measureSeconds + 30));
            if (publisher.isAlive()) {
                publisher.interrupt();
                throw new IllegalStateException("publisher did not finish");
            }
            long expected = publisher.measuredSent.get() * subscribers;
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
            while (totals.measuredReceived.sum() < expected && System.nanoTime() < drainDeadline) {
                Thread.sleep(5);
            }
            long t1 = System.nanoTime();
            Duration cpu1 = server.cpu();
            double busy1 = machineBusySeconds();
            Duration clientCpu1 = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
            if (jfr != null) {
                server.jcmd("JFR.stop", "name=bench");
            }

            Result r = new Result(label, subscribers, rate);
            r.measureSeconds = measureSeconds;
            r.windowSeconds = (t1 - t0) / 1e9;
            r.serverCpuSeconds = (cpu1.toNanos() - cpu0.toNanos()) / 1e9;
            r.clientCpuSeconds = (clientCpu1.toNanos() - clientCpu0.toNanos()) / 1e9;
            r.othersCpuSeconds = busy0 < 0 || busy1 < 0 ? -1
                    : Math.max(0, busy1 - busy0 - r.serverCpuSeconds - r.clientCpuSeconds);
            r.sent = publisher.measuredSent.get();
            r.expected = expected;
            r.received = totals.measuredReceived.sum();
            r.sendFailures = publisher.failures.get();
            r.maxSendLagMs = publisher.maxLagNanos.get() / 1e6;
            r.serverThreads = threadsBefore;
            for (BenchConnection c : subs) {
                LatencyHistogram h = c.snapshot();
                if (h != null) {
                    r.latency.add(h);
                }
            }
            for (BenchConnection c : subs) {
                r.messages += c.messages;
                r.messageBytes += c.messageBytes;
                r.wsFrames += c.wsFrames;
                r.textFrames += c.textFrames;
                r.binaryFrames += c.binaryFrames;
                r.errors += c.errors;
                r.outOfOrder += c.outOfOrder;
                r.gaps += c.gaps;
                r.badBodies += c.badBodies;
                r.otherFrames += c.otherFrames;
                if (c.closed) {
                    r.closedByServer++;
                    if (c.closeStatus != null) {
                        r.closeStatuses.merge(c.closeStatus, 1, Integer::sum);
                    }
                }
                if (c.lastError != null && r.firstError == null) {
                    r.firstError = c.lastError;
                }
            }
            if (pub.closed || pub.lastError != null) {
                r.publisherProblem = (pub.closed ? "publisher connection closed " + pub.closeStatus + " " : "")
                        + (pub.lastError == null ? "" : pub.lastError);
            }
            r.sampleMessage = subs.get(0).sampleMessage;
            r.serverAlive = server.alive();
            r.logProblems = server.problems(8);
            if (jfr != null) {
                r.profile = JfrSummary.summarize(Path.of(jfr), 25);
            }
            return r;
          } finally {
            // Clients close first, then the server stops (closing under a dying server only makes noise).
            List<BenchConnection> all = new ArrayList<>(subs);
            if (pubHolder[0] != null) {
                all.add(pubHolder[0]);
            }
            closeAll(all);
          }
        }
    }

    private static void closeAll(List<BenchConnection> conns) throws InterruptedException {
        conns.forEach(BenchConnection::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && conns.stream().anyMatch(c -> c.connection != null && !c.closed)) {
            Thread.sleep(20);
        }
    }

    /** Opens {@code count} connections, at most connectConcurrency handshakes at a time; returns how many are ready. */
    private int openAll(HttpClient client, int port, int count, boolean stomp, boolean recordLatency,
                        BenchConnection.Totals totals, List<BenchConnection> into, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore inFlight = new Semaphore(connectConcurrency);
        for (int i = 0; i < count; i++) {
            if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            BenchConnection c = new BenchConnection(i, stomp, false, recordLatency, totals);
            into.add(c);
            c.ready.whenComplete((v, e) -> inFlight.release());
            c.connect(client, port);
        }
        int ready = 0;
        for (BenchConnection c : into) {
            try {
                c.ready.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                ready++;
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // counted as not ready
            }
        }
        return ready;
    }

    private static String firstError(List<BenchConnection> conns) {
        for (BenchConnection c : conns) {
            if (c.ready.isCompletedExceptionally()) {
                try {
                    c.ready.join();
                } catch (Exception e) {
                    return String.valueOf(e.getCause() == null ? e : e.getCause());
                }
            }
        }
        for (BenchConnection c : conns) {
            if (!c.ready.isDone()) {
                return "connection " + c.index + " not ready in time (connected=" + (c.connection != null) + ")";
            }
        }
        return "none";
    }

    /** Busy CPU seconds of the whole machine since boot (Linux /proc/stat, USER_HZ 100), -1 if unknown. */
    private static double machineBusySeconds() {
        try {
            String[] f = java.nio.file.Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double median(List<Result> rs, java.util.function.ToDoubleFunction<Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long now;
        while ((now = System.nanoTime()) < nanoTime) {
            Thread.sleep(Math.max(1, Math.min(100, (nanoTime - now) / 1_000_000)));
        }
    }

    /** Sends R messages/s on a fixed schedule from its own thread (catching up, never skipping). */
    static final class Publisher extends Thread {
        final long measureStartNanos;
        final AtomicLong measuredSent = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong maxLagNanos = new AtomicLong();
        private final BenchConnection connection;
        private final int rate;
        private final int payload;
        private final long startNanos;
        private final long endNanos;

        Publisher(BenchConnection connection, int rate, int payload, int warmupSeconds, int measureSeconds) {
            super("bench-publisher");
            setDaemon(true);
            this.connection = connection;
            this.rate = rate;
            this.payload = payload;
            this.startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            this.measureStartNanos = startNanos + TimeUnit.SECONDS.toNanos(warmupSeconds);
            this.endNanos = measureStartNanos + TimeUnit.SECONDS.toNanos(measureSeconds);
        }

        @Override
        public void run() {
            byte[] head = BenchConnection.sendHead(payload);
            for (long seq = 0; ; seq++) {
                long due = startNanos + (long) (seq * (1e9 / rate));
                if (due >= endNanos || isInterrupted()) {
                    return;
                }
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                if (now - due > maxLagNanos.get()) {
                    maxLagNanos.set(now - due);
                }
                boolean measured = due >= measureStartNanos;
                if (connection.sendBytes(BenchConnection.sendFrame(head, payload, seq, now, measured))) {
                    if (measured) {
                        measuredSent.incrementAndGet();
                    }
                } else {
                    failures.incrementAndGet();
                }
            }
        }
    }

    /** One throughput run's figures. */
    static final class Result {
        static final String HEADER = String.format(Locale.ROOT, "%-22s %6s %6s %13s %9s %13s %8s %8s %8s %8s %9s",
                "target", "subs", "rate", "deliveries/s", "srv-cpu-s", "deliv/cpu-s", "p50-ms", "p99-ms",
                "p99.9-ms", "max-ms", "lost");
        final String label;
        final int subscribers;
        final int rate;
        final LatencyHistogram latency = new LatencyHistogram();
        final Map<String, Integer> closeStatuses = new TreeMap<>();
        int measureSeconds;
        double windowSeconds;
        double serverCpuSeconds;
        double clientCpuSeconds;
        double othersCpuSeconds;
        long sent;
        long expected;
        long received;
        long sendFailures;
        double maxSendLagMs;
        int serverThreads;
        long messages;
        long messageBytes;
        long wsFrames;
        long textFrames;
        long binaryFrames;
        long errors;
        long outOfOrder;
        long gaps;
        long badBodies;
        long otherFrames;
        int closedByServer;
        String firstError;
        String publisherProblem;
        String sampleMessage;
        boolean serverAlive;
        List<String> logProblems = List.of();
        List<String> profile = List.of();

        Result(String label, int subscribers, int rate) {
            this.label = label;
            this.subscribers = subscribers;
            this.rate = rate;
        }

        double deliveriesPerSecond() {
            return received / (double) measureSeconds;
        }

        double perCpuSecond() {
            return serverCpuSeconds <= 0 ? 0 : received / serverCpuSeconds;
        }

        long lost() {
            return expected - received;
        }

        String row() {
            return String.format(Locale.ROOT, "%-22s %6d %6d %13.0f %9.2f %13.0f %8.2f %8.2f %8.2f %8.2f %9d",
                    label, subscribers, rate, deliveriesPerSecond(), serverCpuSeconds, perCpuSecond(),
                    latency.percentile(50) / 1e6, latency.percentile(99) / 1e6, latency.percentile(99.9) / 1e6,
                    latency.max() / 1e6, lost());
        }

        void print() {
            System.out.println(HEADER);
            System.out.println(row());
            System.out.printf(Locale.ROOT, "  sent %d measured messages (%d send failures, max pacing lag %.2f ms); "
                            + "expected %d deliveries, received %d; latency samples %d, mean %.2f ms%n",
                    sent, sendFailures, maxSendLagMs, expected, received, latency.count(), latency.mean() / 1e6);
            System.out.printf(Locale.ROOT, "  window %.2f s: server CPU %.2f s (%.2f cores), client CPU %.2f s "
                            + "(%.2f cores), other processes %.2f cores of %d; server threads %d%n", windowSeconds,
                    serverCpuSeconds, serverCpuSeconds / windowSeconds, clientCpuSeconds,
                    clientCpuSeconds / windowSeconds, othersCpuSeconds / windowSeconds,
                    Runtime.getRuntime().availableProcessors(), serverThreads);
            System.out.printf(Locale.ROOT, "  all MESSAGE frames %d, avg %.1f bytes/frame; WebSocket frames %d "
                            + "(text %d, binary %d, %.2f STOMP frames per WS frame); ERROR frames %d; other frames %d; "
                            + "out-of-order %d; gaps %d; bad bodies %d%n", messages,
                    messages == 0 ? 0.0 : messageBytes / (double) messages, wsFrames, textFrames, binaryFrames,
                    wsFrames == 0 ? 0.0 : messages / (double) wsFrames, errors, otherFrames, outOfOrder, gaps,
                    badBodies);
            if (othersCpuSeconds / windowSeconds > BUSY_CORES) {
                System.out.printf(Locale.ROOT, "  WARNING: other processes used %.2f cores during the window: "
                        + "figures are disturbed%n", othersCpuSeconds / windowSeconds);
            }
            if (windowSeconds < measureSeconds * 0.97) {
                System.out.printf(Locale.ROOT, "  WARNING: the CPU window (%.2f s) is shorter than the measured %d s: "
                        + "the main thread woke late; per-CPU-second figures are too high%n", windowSeconds,
                        measureSeconds);
            }
            if (sampleMessage != null) {
                System.out.println("  first MESSAGE frame: " + sampleMessage);
            }
            System.out.printf(Locale.ROOT, "  subscriber connections closed by the server during the run: %d %s%s%n",
                    closedByServer, closeStatuses.isEmpty() ? "" : closeStatuses,
                    serverAlive ? "" : "; SERVER PROCESS DIED");
            if (firstError != null) {
                System.out.println("  first client-side error: " + firstError);
            }
            if (publisherProblem != null) {
                System.out.println("  publisher: " + publisherProblem);
            }
            if (!logProblems.isEmpty()) {
                System.out.println("  server log WARN/ERROR lines (first " + logProblems.size() + "):");
                logProblems.forEach(l -> System.out.println("    " + l));
            }
            if (!profile.isEmpty()) {
                profile.forEach(l -> System.out.println("  " + l));
            }
        }
    }

    // ------------------------------------------------------------------ idle heap

    /** @return live heap bytes per idle STOMP connection */
    private double idleHeap() throws Exception {
        System.out.println();
        boolean rawHeap = opt("heapTarget", "stomp").equals("raw");
        System.out.printf(Locale.ROOT, "[heap] idle heap per %s connection: %d connections (%s), live heap by "
                + "GC.class_histogram after full GC%n", rawHeap ? "raw WebSocket" : "STOMP", idle,
                rawHeap ? "raw Reactor Netty server, WebSocket only" : "CONNECT heart-beat 0,0 + one SUBSCRIBE");
        BenchConnection.Totals totals = new BenchConnection.Totals();
        List<BenchConnection> warm = new ArrayList<>();
        List<BenchConnection> conns = new ArrayList<>();
        // --heapTarget=raw measures the raw Reactor Netty server instead: the floor any WebSocket server here pays.
        try (ServerProcess server = startServer(rawHeap ? "raw" : "stomp", "heap-server")) {
          try {
            System.out.printf(Locale.ROOT, "[heap] server pid %d ready on port %d; log %s%n", server.pid(),
                    server.port, server.log);
            HttpClient client = BenchConnection.client(server.port, false);
            // Warm the connection path (class loading, static caches, pools) so it is not charged to the K sessions.
            int warmReady = openAll(client, server.port, 100, !rawHeap, false, totals, warm, Duration.ofSeconds(60));
            if (warmReady < 100) {
                throw new IllegalStateException("warm-up: " + warmReady + " of 100 ready; " + firstError(warm));
            }
            closeAll(warm);
            Thread.sleep(2000);
            int threads0 = server.threads();
            Heap before = Heap.measure(server);
            long t = System.nanoTime();
            int ready = openAll(client, server.port, idle, !rawHeap, false, totals, conns,
                    Duration.ofSeconds(60 + idle / 10));
            double openSeconds = (System.nanoTime() - t) / 1e9;
            if (ready < idle) {
                throw new IllegalStateException(ready + " of " + idle + " idle connections ready; first error: "
                        + firstError(conns) + "\nserver log tail:\n" + server.tail(20));
            }
            Thread.sleep(2000);
            int threads1 = server.threads();
            Heap after = Heap.measure(server);
            long stillOpen = conns.stream().filter(c -> !c.closed).count();
            double perConn = (after.liveBytes - before.liveBytes) / (double) idle;
            System.out.printf(Locale.ROOT, "[heap] opened %d STOMP sessions in %.1f s; %d still open at the second "
                    + "measurement; server threads %d -> %d%n", ready, openSeconds, stillOpen, threads0, threads1);
            System.out.printf(Locale.ROOT, "[heap] live heap (class histogram) %,d -> %,d bytes; heap used "
                            + "(GC.heap_info) %,d -> %,d KB%n", before.liveBytes, after.liveBytes, before.usedKb,
                    after.usedKb);
            System.out.printf(Locale.ROOT, "[heap] idle heap per STOMP connection: %.0f bytes (goal <= %.0f: %s)"
                            + "; by heap_info used: %.0f bytes%n", perConn, GOAL_HEAP_BYTES,
                    perConn <= GOAL_HEAP_BYTES ? "MET" : "NOT MET",
                    (after.usedKb - before.usedKb) * 1024.0 / idle);
            System.out.println("[heap] biggest growth per connection, by class (bytes/conn, instances/conn):");
            after.diff(before, idle, Integer.parseInt(opt("heapTop", "25"))).forEach(l -> System.out.println("    " + l));
            List<String> problems = server.problems(5);
            if (!problems.isEmpty()) {
                System.out.println("[heap] server log WARN/ERROR lines:");
                problems.forEach(l -> System.out.println("    " + l));
            }
            return perConn;
          } finally {
            List<BenchConnection> all = new ArrayList<>(warm);
            all.addAll(conns);
            closeAll(all);
          }
        }
    }

    /** Live heap of a server JVM after a full GC: total and by class. */
    static final class Heap {
        private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");
        private static final Pattern USED = Pattern.compile("used (\\d+)K");
        long liveBytes;
        long usedKb;
        final Map<String, long[]> byClass = new HashMap<>();

        static Heap measure(ServerProcess server) throws IOException, InterruptedException {
            server.jcmd("GC.run");
            Heap h = new Heap();
            for (String line : server.jcmd("GC.class_histogram").split("\n")) {
                Matcher m = ROW.matcher(line);
                if (m.find()) {
                    h.byClass.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                    continue;
                }
                Matcher t = TOTAL.matcher(line);
                if (t.find()) {
                    h.liveBytes = Long.parseLong(t.group(2));
                }
            }
            Matcher u = USED.matcher(server.jcmd("GC.heap_info"));
            if (u.find()) {
                h.usedKb = Long.parseLong(u.group(1));
            }
            if (h.liveBytes == 0) {
                throw new IllegalStateException("could not parse GC.class_histogram of pid " + server.pid());
            }
            return h;
        }

        List<String> diff(Heap before, int connections, int top) {
            List<Map.Entry<String, long[]>> grown = new ArrayList<>();
            for (Map.Entry<String, long[]> e : byClass.entrySet()) {
                long[] b = before.byClass.getOrDefault(e.getKey(), new long[2]);
                grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
            }
            grown.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed());
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, long[]> e : grown.subList(0, Math.min(top, grown.size()))) {
                out.add(String.format(Locale.ROOT, "%8.0f B  %6.2f  %s", e.getValue()[1] / (double) connections,
                        e.getValue()[0] / (double) connections, e.getKey()));
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ options

    private String opt(String key, String def) {
        return options.getOrDefault(key, def);
    }

    private int intOpt(String key, int def) {
        return Integer.parseInt(opt(key, Integer.toString(def)).trim());
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }
}
