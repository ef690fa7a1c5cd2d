package io.gifchat.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The persisted chat path, measured end to end: members enter rooms through {@code /topic/chat/{room}} and SEND to
 * {@code /app/chat/{room}} with receipts (and a clientId, as the page does); each sender keeps {@code inflight}
 * messages outstanding (closed loop) or all senders together offer {@code rate} messages/s (open loop). Prints
 * receipted messages/s, receipt latency p50/p99/max, server CPU seconds per message, refusals, errors and order
 * violations — and, as the ratio's denominator, the store's own insert rate: the same embedded store alone in its
 * own JVM, driven directly through the MongoDB driver with the same document.
 *
 * <p>The server (and the store) run pinned with {@code taskset -c <serverCpus>} and
 * {@code -XX:ActiveProcessorCount=1}; run this JVM on another CPU ({@code scripts/chat-bench.sh} does).
 * Options ({@code --name=value}): rooms=4, senders=8, inflight=16, rate=0 (open loop when > 0), store=memory|file,
 * clientId=true (each message carries one, as the page's do),
 * warmup=10, measure=10, repeat=1, targets=store,app (profile = the app with a JFR CPU summary), serverCpus=1,
 * serverJvm, appArgs, logDir=target/bench.
 */
final class ChatBenchmark {

    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern REFUSAL_MESSAGE = Pattern.compile("\"message\":\"([^\"]*)\"");
    private static volatile String firstRefusal;
    private static final Pattern RECEIPT_IN_ERROR = Pattern.compile("\"receipt\":\"(\\d+)\"");

    private final Map<String, String> options;
    private final int rooms;
    private final int senders;
    private final int inflight;
    private final int rate;
    private final String store;
    private final int warmup;
    private final int measure;
    private final int repeat;
    private final List<String> targets;
    private final String serverCpus;
    private final List<String> serverJvm;
    private final List<String> appArgs;
    private final String appClasspath;
    private final Path logDir;
    private final boolean clientIds;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int runs;

    private ChatBenchmark(Map<String, String> options) {
        this.options = options;
        rooms = intOpt("rooms", 4);
        senders = intOpt("senders", 8);
        inflight = intOpt("inflight", 16);
        rate = intOpt("rate", 0);
        store = opt("store", "memory");
        warmup = intOpt("warmup", 10);
        measure = intOpt("measure", 10);
        repeat = Math.max(1, intOpt("repeat", 1));
        targets = List.of(opt("targets", "store,app").split(","));
        serverCpus = opt("serverCpus", "1");
        serverJvm = ServerProcess.words(opt("serverJvm", "-Xms2g -Xmx2g -XX:+UseG1GC")); // the memory store keeps every line on the heap
        appArgs = ServerProcess.words(opt("appArgs", ""));
        appClasspath = opt("appClasspath", System.getProperty("java.class.path"));
        logDir = Path.of(opt("logDir", "target/bench"));
        clientIds = Boolean.parseBoolean(opt("clientId", "true"));
        if (!store.equals("memory") && !store.equals("file")) {
            throw new IllegalArgumentException("store must be memory or file");
        }
        if (rooms < 1 || senders < rooms || inflight < 1 || measure < 1) {
            throw new IllegalArgumentException("need rooms >= 1, senders >= rooms, inflight >= 1, measure >= 1");
        }
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println("usage: scripts/chat-bench.sh [--rooms=4] [--senders=8] [--inflight=16] [--rate=0] "
                    + "[--store=memory|file] [--warmup=10] [--measure=10] [--repeat=1] [--targets=store,app,profile] "
                    + "[--serverCpus=1] [--serverJvm='...'] [--appArgs='--x=y']");
            return;
        }
        new ChatBenchmark(ServerProcess.options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "chat benchmark: store=%s rooms=%d senders=%d %s warmup=%ds measure=%ds "
                        + "server on CPU %s, this JVM pid %d%n", store, rooms, senders,
                rate > 0 ? "rate=" + rate + "/s (open loop)" : "inflight=" + inflight + " per sender (closed loop)",
                warmup, measure, serverCpus.isEmpty() ? "any" : serverCpus, ProcessHandle.current().pid());
        List<String> summary = new ArrayList<>();
        for (int round = 1; round <= repeat; round++) {
            for (String target : targets) {
                switch (target) {
                    case "store" -> summary.addAll(storeCeiling());
                    case "app", "profile" -> summary.add(app(target.equals("profile")));
                    default -> throw new IllegalArgumentException("unknown target " + target);
                }
            }
        }
        System.out.println("\n== summary ==");
        summary.forEach(System.out::println);
    }

    // ------------------------------------------------------------------ the store alone

    private List<String> storeCeiling() throws Exception {
        int port = ServerProcess.freePort();
        String backend = store.equals("memory") ? "memory" : freshFile("store").toString();
        try (ServerProcess server = ServerProcess.start("chat-store", port, launcher(), jvm(), appClasspath,
                StoreServer.class.getName(), List.of(Integer.toString(port), backend), logDir);
             MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
            MongoCollection<Document> chats = client.getDatabase("bench").getCollection("chats");
            Mono.from(client.getDatabase("bench").runCommand(new Document("ping", 1)))
                    .retryWhen(reactor.util.retry.Retry.fixedDelay(100, Duration.ofMillis(200))).block();
            AtomicLong n = new AtomicLong();
            insertFor(Duration.ofSeconds(Math.min(warmup, 5)), () -> Mono.from(chats.insertOne(line(n.incrementAndGet()))).then());
            double one = rate(() -> Mono.from(chats.insertOne(line(n.incrementAndGet()))).then(), 1, 1);
            double sixteen = rate(() -> Mono.from(chats.insertOne(line(n.incrementAndGet()))).then(), 16, 1);
            double many = rate(() -> Mono.from(chats.insertMany(batch(n, 64))).then(), 1, 64);
            String line = String.format(Locale.ROOT, "store alone (%s): insertOne sequential %,.0f/s, 16 concurrent "
                    + "%,.0f/s, insertMany(64) %,.0f docs/s", store, one, sixteen, many);
            System.out.println(line);
            return List.of(line);
        }
    }

    /** Documents per second while {@code concurrency} copies of the operation run back to back for the window. */
    private double rate(java.util.function.Supplier<Mono<Void>> operation, int concurrency, int docsPerOperation) {
        long done = insertFor(Duration.ofSeconds(measure), operation, concurrency);
        return done * (double) docsPerOperation / measure;
    }

    private static void insertFor(Duration window, java.util.function.Supplier<Mono<Void>> operation) {
        insertFor(window, operation, 1);
    }

    private static long insertFor(Duration window, java.util.function.Supplier<Mono<Void>> operation, int concurrency) {
        long end = System.nanoTime() + window.toNanos();
        return Flux.range(0, concurrency)
                .flatMap(worker -> Mono.defer(operation).thenReturn(1).repeat(() -> System.nanoTime() < end).count(), concurrency)
                .reduce(0L, Long::sum)
                .block();
    }

    private static Document line(long n) {
        // keyed as the app keys a message with a clientId: room, sender, the page's time-ordered id
        return new Document("_id", "room" + n % 4 + ":sender:" + timeOrderedId()).append("room", "room" + n % 4)
                .append("seq", n).append("user", new Document("id", UUID.randomUUID().toString())
                        .append("name", "Quiet Otter 42").append("color", "#3d7a99"))
                .append("type", "chat").append("chat", "bench message " + n)
                .append("clientId", UUID.randomUUID().toString()).append("createdAt", new Date());
    }

    private static List<Document> batch(AtomicLong n, int size) {
        List<Document> docs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            docs.add(line(n.incrementAndGet()));
        }
        return docs;
    }

    // ------------------------------------------------------------------ the app

    private String app(boolean profile) throws Exception {
        int port = ServerProcess.freePort();
        List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                "--gifchat.embedded-mongo.storage=" + store,
                "--gifchat.embedded-mongo.path=" + freshFile("app"),
                "--gifchat.chat.rate-limit=100000000", "--gifchat.chat.rate-window=1s", "--gifchat.limits.enabled=false",
                "--gifchat.rooms.empty-grace=0s"));
        args.addAll(appArgs);
        try (ServerProcess server = ServerProcess.start("chat-app", port, launcher(), jvm(), appClasspath,
                "io.gifchat.GifChatApplication", args, logDir)) {
            server.awaitReady(Duration.ofSeconds(120));
            BenchVisitors visitors = new BenchVisitors(port);
            List<String> roomIds = new ArrayList<>();
            for (int r = 0; r < rooms; r++) {
                roomIds.add(visitors.createRoom(visitors.visit(), "bench room " + r, 100));
            }
            List<Sender> all = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                Sender sender = new Sender(roomIds.get(i % rooms));
                sender.open(port, visitors.visit().session());
                all.add(sender);
            }
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            try {
                if (rate > 0) {
                    long periodNanos = TimeUnit.SECONDS.toNanos(1) * senders / rate;
                    for (Sender s : all) {
                        ticker.scheduleAtFixedRate(s::sendOne, 0, periodNanos, TimeUnit.NANOSECONDS);
                    }
                } else {
                    all.forEach(s -> s.fill(inflight));
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
                Path jfr = logDir.resolve("chat-app.jfr");
                if (profile) {
                    server.jcmd("JFR.start", "name=chat", "settings=profile", "filename=" + jfr.toAbsolutePath());
                }
                Duration cpu0 = server.cpu();
                long start = System.nanoTime();
                all.forEach(s -> s.window(start, start + TimeUnit.SECONDS.toNanos(measure)));
                Thread.sleep(TimeUnit.SECONDS.toMillis(measure));
                Duration cpu = server.cpu().minus(cpu0);
                if (profile) {
                    server.jcmd("JFR.stop", "name=chat");
                }
                ticker.shutdownNow();
                all.forEach(Sender::stop);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (all.stream().anyMatch(s -> !s.outstanding.isEmpty()) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                LatencyHistogram latency = new LatencyHistogram();
                long receipted = 0;
                long sent = 0;
                long refused = 0;
                long errors = 0;
                long disorder = 0;
                long lost = 0;
                for (Sender s : all) {
                    synchronized (s) {
                        latency.add(s.latency);
                        receipted += s.receiptedInWindow;
                        refused += s.refused;
                        disorder += s.outOfOrder;
                        errors += s.errors;
                        sent += s.sent;
                        lost += s.outstanding.size();
                    }
                    s.close();
                }
                double perSecond = receipted / (double) measure;
                String line = String.format(Locale.ROOT, "app (%s)%s: %,.0f receipted msgs/s, receipt p50 %.1f / "
                                + "p99 %.1f / max %.1f ms, server CPU %.2f s = %.0f µs per message; sent %d, refused %d, "
                                + "errors %d, unanswered %d, out of order %d", store, profile ? " + JFR" : "", perSecond,
                        latency.percentile(50) / 1e6, latency.percentile(99) / 1e6, latency.max() / 1e6,
                        cpu.toNanos() / 1e9, receipted == 0 ? 0 : cpu.toNanos() / 1e3 / receipted, sent, refused,
                        errors, lost, disorder);
                System.out.println(line);
                if (firstRefusal != null) {
                    System.out.println("  first refusal: " + firstRefusal);
                }
                if (profile) {
                    JfrSummary.summarize(jfr, 25).forEach(System.out::println);
                }
                return line;
            } finally {
                ticker.shutdownNow();
            }
        }
    }

    private List<String> launcher() {
        return ServerProcess.pinnedTo(serverCpus);
    }

    private List<String> jvm() {
        return ServerProcess.jvmFor(serverJvm, serverCpus);
    }

    private Path freshFile(String name) throws IOException {
        Files.createDirectories(logDir);
        Path file = logDir.resolve("chat-" + name + "-" + (++runs) + ".mv").toAbsolutePath();
        Files.deleteIfExists(file);
        return file;
    }

    /**
     * One member of a room sending messages. Counters are read under the monitor at the end.
     */
    private final class Sender extends StompSocket {
        final String roomId;
        final Map<Long, Long> outstanding = new ConcurrentHashMap<>(); // receipt id -> send nanos
        final LatencyHistogram latency = new LatencyHistogram();
        final CompletableFuture<Void> entered = new CompletableFuture<>();
        private final AtomicLong ids = new AtomicLong();
        private volatile boolean running = true;
        private volatile long windowStart = Long.MAX_VALUE;
        private volatile long windowEnd = Long.MAX_VALUE;
        long sent;
        long receiptedInWindow;
        long refused;
        long errors;
        long outOfOrder;
        private long lastSeq = -1;

        Sender(String roomId) {
            this.roomId = roomId;
        }

        void open(int port, String session) throws Exception {
            connect(http, port, session, Duration.ofSeconds(10));
            write("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\n\n\0"
                    + "SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
                    + "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
            entered.get(10, TimeUnit.SECONDS);
        }

        void window(long start, long end) {
            windowStart = start;
            windowEnd = end;
        }

        void fill(int count) {
            for (int i = 0; i < count; i++) {
                sendOne();
            }
        }

        synchronized void sendOne() {
            if (!running) {
                return;
            }
            long id = ids.incrementAndGet();
            outstanding.put(id, System.nanoTime());
            sent++;
            write("SEND\ndestination:/app/chat/" + roomId + "\ncontent-type:application/json\nreceipt:" + id + "\n\n"
                    + "{\"chat\":\"bench message " + id + "\""
                    + (clientIds ? ",\"clientId\":\"" + timeOrderedId() + "\"" : "") + "}\0");
        }


        void stop() {
            running = false;
        }

        void close() {
            abort();
        }

        @Override
        void onFrame(String frame) {
            long now = System.nanoTime();
            if (frame.startsWith("RECEIPT")) {
                String id = frame.substring(frame.indexOf("receipt-id:") + 11).trim();
                if (id.equals("in")) {
                    entered.complete(null);
                    return;
                }
                answered(Long.parseLong(id), now, true);
            } else if (frame.startsWith("MESSAGE") && frame.contains("destination:/user/queue/errors")) {
                Matcher receipt = RECEIPT_IN_ERROR.matcher(frame);
                synchronized (this) {
                    refused++;
                }
                if (firstRefusal == null) {
                    Matcher message = REFUSAL_MESSAGE.matcher(frame);
                    firstRefusal = message.find() ? message.group(1) : frame.replace('\n', ' ');
                }
                if (receipt.find()) {
                    answered(Long.parseLong(receipt.group(1)), now, false);
                }
            } else if (frame.startsWith("MESSAGE") && frame.contains("\"type\":\"chat\"")) {
                Matcher seq = SEQ.matcher(frame);
                if (seq.find()) {
                    long s = Long.parseLong(seq.group(1));
                    synchronized (this) {
                        if (s <= lastSeq) {
                            outOfOrder++;
                        }
                        lastSeq = s;
                    }
                }
            } else if (frame.startsWith("ERROR")) {
                synchronized (this) {
                    errors++;
                }
                System.out.println("ERROR frame: " + frame.replace('\n', ' '));
            }
        }

        private void answered(long id, long now, boolean receipted) {
            Long sentAt = outstanding.remove(id);
            if (sentAt == null) {
                return;
            }
            synchronized (this) {
                if (receipted && now >= windowStart && now < windowEnd) {
                    receiptedInWindow++;
                    latency.record(now - sentAt);
                }
            }
            if (rate == 0) {
                sendOne(); // closed loop: keep the window full
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            synchronized (this) {
                errors++;
            }
            entered.completeExceptionally(error);
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final AtomicLong LAST_ID_MILLIS = new AtomicLong();

    /**
     * A version 7 UUID (time first), as the room page makes its clientIds; increasing across this JVM: the next
     * millisecond is borrowed when two ids would share one, as no counter is kept.
     */
    static String timeOrderedId() {
        long millis = LAST_ID_MILLIS.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0xfffL);
        long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    // ------------------------------------------------------------------ options

    private String opt(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private int intOpt(String name, int fallback) {
        return Integer.parseInt(opt(name, Integer.toString(fallback)));
    }
}
