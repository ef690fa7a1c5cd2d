package io.gifchat.bench;

import java.net.InetSocketAddress;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import io.gifchat.store.StoreFile;
import org.bson.Document;
import org.h2.mvstore.MVStoreTool;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The default file store under room churn, for as long as it takes to store {@code messages} lines: {@code workers}
 * loops each run cycles of — create a room, 5 members enter, 40 messages with receipts (each with a clientId, as the
 * page sends them), all leave; the janitor deletes the emptied room a moment later. Every 10 s it prints the data
 * file's size; at the start and the end the server's heap after a full GC. After the last cycle it waits for the
 * last rooms to go, stops the server (which compacts on close), and reports the file's size, the live data (the file
 * compacted into a copy by H2's own tool), and what the deleted rooms left in the store (should be nothing).
 *
 * <p>Options ({@code --name=value}): messages=100000, workers=6, members=5, lines=40, serverCpus=1, serverJvm,
 * appArgs, logDir=target/bench. Run it with {@code scripts/chat-soak.sh}.
 */
final class ChatSoak {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern ERROR_RECEIPT = Pattern.compile("\"receipt\":\"([^\"]+)\"");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final long messages;
    private final int workers;
    private final int members;
    private final int lines;
    private final String serverCpus;
    private final List<String> serverJvm;
    private final List<String> appArgs;
    private final String appClasspath;
    private final Path logDir;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong cycles = new AtomicLong();
    private final ConcurrentLinkedQueue<String> rooms = new ConcurrentLinkedQueue<>();

    private ChatSoak(Map<String, String> o) {
        messages = Long.parseLong(o.getOrDefault("messages", "100000"));
        workers = Integer.parseInt(o.getOrDefault("workers", "6"));
        members = Integer.parseInt(o.getOrDefault("members", "5"));
        lines = Integer.parseInt(o.getOrDefault("lines", "40"));
        serverCpus = o.getOrDefault("serverCpus", "1");
        serverJvm = ServerProcess.words(o.getOrDefault("serverJvm", "-Xms512m -Xmx512m -XX:+UseG1GC"));
        appArgs = ServerProcess.words(o.getOrDefault("appArgs", ""));
        appClasspath = o.getOrDefault("appClasspath", System.getProperty("java.class.path"));
        logDir = Path.of(o.getOrDefault("logDir", "target/bench"));
    }

    public static void main(String[] args) throws Exception {
        // the bench JVM opens the store at the end; its INFO lines would bury the figures
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        new ChatSoak(ServerProcess.options(args)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(logDir);
        Path file = logDir.resolve("soak.mv").toAbsolutePath();
        Files.deleteIfExists(file);
        int port = ServerProcess.freePort();
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--gifchat.embedded-mongo.storage=file",
                "--gifchat.embedded-mongo.path=" + file, "--gifchat.rooms.empty-grace=1s",
                "--gifchat.rooms.janitor-interval=250ms", "--gifchat.chat.rate-limit=100000000",
                "--gifchat.limits.enabled=false", "--gifchat.rooms.leave-grace=0s"));
        args.addAll(appArgs);
        System.out.printf(Locale.ROOT, "soak: %,d messages, %d workers, cycles of %d members × %d lines, server on CPU %s%n",
                messages, workers, members, lines, serverCpus);
        String[] heap = new String[2];
        long started;
        long lastRoomGone;
        try (ServerProcess server = ServerProcess.start("soak-app", port, ServerProcess.pinnedTo(serverCpus),
                ServerProcess.jvmFor(serverJvm, serverCpus),
                appClasspath, "io.gifchat.GifChatApplication", args, logDir)) {
            server.awaitReady(Duration.ofSeconds(120));
            BenchVisitors visitors = new BenchVisitors(port);
            List<List<BenchVisitors.Visitor>> people = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                List<BenchVisitors.Visitor> group = new ArrayList<>();
                for (int m = 0; m < members; m++) {
                    group.add(visitors.visit());
                }
                people.add(group);
            }
            for (int warm = 0; warm < 3; warm++) { // the first cycles load the classes the heap figure should include
                cycle(visitors, people.get(0), port);
            }
            awaitRoomsGone(visitors, people.get(0).get(0));
            heap[0] = heapAfterGc(server);
            System.out.println("heap after GC at the start: " + heap[0]);
            started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                List<BenchVisitors.Visitor> group = people.get(w);
                running.add(pool.submit(() -> {
                    while (stored.get() < messages) {
                        cycle(visitors, group, port);
                    }
                    return null;
                }));
            }
            long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (running.stream().anyMatch(f -> !f.isDone())) {
                Thread.sleep(200);
                if (System.nanoTime() > nextReport) {
                    nextReport += TimeUnit.SECONDS.toNanos(10);
                    report(file, started);
                }
            }
            for (Future<?> f : running) {
                f.get(); // a failed cycle fails the soak, with its cause
            }
            pool.shutdown();
            report(file, started);
            awaitRoomsGone(visitors, people.get(0).get(0));
            lastRoomGone = System.nanoTime();
            heap[1] = heapAfterGc(server);
            System.out.println("heap after GC at the end: " + heap[1]);
            System.out.printf(Locale.ROOT, "data file before stopping: %.1f MB%n", Files.size(file) / 1e6);
        }
        double seconds = (lastRoomGone - started) / 1e9;
        System.out.printf(Locale.ROOT, "stored %,d lines in %,d cycles in %.0f s (%,.0f lines/s); data file after a "
                + "graceful stop: %.2f MB%n", stored.get(), cycles.get(), seconds, stored.get() / seconds, Files.size(file) / 1e6);
        leftovers(file);
    }

    /** One room's life: created, entered by every member, {@code lines} messages with receipts, left. */
    private void cycle(BenchVisitors visitors, List<BenchVisitors.Visitor> group, int port) throws Exception {
        String roomId = visitors.createRoom(group.get(0), "soak " + cycles.incrementAndGet(), members * 2);
        rooms.add(roomId);
        List<Member> in = new ArrayList<>();
        try {
            for (BenchVisitors.Visitor v : group) {
                Member m = new Member();
                m.open(visitors, port, v, roomId);
                in.add(m);
            }
            List<CompletableFuture<Void>> receipts = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                receipts.add(in.get(i % in.size()).say(roomId, "soak line " + i));
                if (receipts.size() >= 8) { // a few in flight, as people typing fast
                    receipts.remove(0).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            }
            for (CompletableFuture<Void> r : receipts) {
                r.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            stored.addAndGet(lines);
        } finally {
            for (Member m : in) {
                m.leave();
            }
        }
    }

    private void awaitRoomsGone(BenchVisitors visitors, BenchVisitors.Visitor asker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String roomId = rooms.peek(); roomId != null; roomId = rooms.peek()) {
            if (visitors.roomStatus(asker, roomId) == 404) {
                rooms.poll();
            } else if (System.nanoTime() > deadline) {
                throw new IllegalStateException("room " + roomId + " still there 60 s after its members left");
            } else {
                Thread.sleep(100);
            }
        }
    }

    private void report(Path file, long started) throws Exception {
        double s = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "%5.0f s: %,9d lines, %,6d cycles, %,6.0f lines/s, data file %7.2f MB%n",
                s, stored.get(), cycles.get(), stored.get() / s, Files.size(file) / 1e6);
    }

    private static String heapAfterGc(ServerProcess server) throws Exception {
        server.jcmd("GC.run");
        Matcher used = USED.matcher(server.jcmd("GC.heap_info"));
        return used.find() ? String.format(Locale.ROOT, "%,d KB", Long.parseLong(used.group(1))) : "unknown";
    }

    /** Live data (H2's compacting copy of the file) and what the deleted rooms left in each collection. */
    private void leftovers(Path file) throws Exception {
        Path copy = file.resolveSibling("soak-compacted.mv");
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
        MVStoreTool.compact(copy.toString(), false);
        System.out.printf(Locale.ROOT, "live data (the file compacted by H2's tool): %.2f MB%n", Files.size(copy) / 1e6);
        StoreFile store = StoreFile.open(file);
        MongoServer server = new MongoServer(store);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            var db = client.getDatabase("gifchat");
            List<String> names = Flux.from(db.listCollectionNames()).collectList().block(WAIT);
            StringBuilder left = new StringBuilder("documents left in the store:");
            for (String name : names) {
                long n = Mono.from(db.getCollection(name).countDocuments()).block(WAIT);
                left.append(' ').append(name).append('=').append(n);
            }
            System.out.println(left + " (sessions are the soak's " + workers * members + " visitors)");
        } finally {
            server.shutdownNow();
        }
    }

    /** One member in a room over STOMP: enters, says lines with receipts, leaves with DISCONNECT. */
    private final class Member extends StompSocket {
        private final Map<String, CompletableFuture<Void>> receipts = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        void open(BenchVisitors visitors, int port, BenchVisitors.Visitor v, String roomId) throws Exception {
            connect(visitors.http(), port, v.session(), WAIT);
            CompletableFuture<Void> entered = expect("in");
            write("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\n\n\0"
                    + "SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
                    + "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
            entered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        CompletableFuture<Void> say(String roomId, String text) {
            String id = "m" + ids.incrementAndGet();
            CompletableFuture<Void> receipt = expect(id);
            write("SEND\ndestination:/app/chat/" + roomId + "\ncontent-type:application/json\nreceipt:" + id + "\n\n"
                    + "{\"chat\":\"" + text + "\",\"clientId\":\"" + ChatBenchmark.timeOrderedId() + "\"}\0");
            return receipt;
        }

        void leave() throws Exception {
            CompletableFuture<Void> bye = expect("bye");
            write("DISCONNECT\nreceipt:bye\n\n\0");
            try {
                bye.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                abort();
            }
        }

        private CompletableFuture<Void> expect(String receipt) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            receipts.put(receipt, f);
            return f;
        }

        @Override
        void onFrame(String frame) {
            if (frame.startsWith("RECEIPT")) {
                String id = frame.substring(frame.indexOf("receipt-id:") + 11).trim();
                CompletableFuture<Void> f = receipts.remove(id);
                if (f != null) {
                    f.complete(null);
                }
            } else if (frame.startsWith("ERROR") || frame.contains("destination:/user/queue/errors")) {
                Matcher receipt = ERROR_RECEIPT.matcher(frame);
                IllegalStateException e = new IllegalStateException("refused: " + frame.replace('\n', ' '));
                if (receipt.find() && receipts.containsKey(receipt.group(1))) {
                    receipts.remove(receipt.group(1)).completeExceptionally(e);
                } else {
                    receipts.values().forEach(f -> f.completeExceptionally(e));
                }
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            receipts.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
