package io.gifchat.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gifchat.store.StoreFile;

/**
 * The embedded store alone, in its own JVM, for the chat benchmark's ceiling: the same backends the app embeds (the
 * memory backend, or the app's {@link StoreFile} with its once-a-second housekeeping), driven directly through the
 * MongoDB driver. Arguments: port, {@code memory} or an H2 file path.
 */
public final class StoreServer {

    private StoreServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        StoreFile file = "memory".equals(args[1]) ? null : StoreFile.open(Path.of(args[1]).toAbsolutePath());
        MongoServer server = new MongoServer(file == null ? new MemoryBackend() : file);
        if (file != null) { // as in the app: the file commits (and syncs) only when its housekeeping says so
            Thread keeper = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    file.keep();
                }
            }, "store-keeper");
            keeper.setDaemon(true);
            keeper.start();
        }
        server.bind(new InetSocketAddress("127.0.0.1", port));
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("store ready on " + port);
        Thread.currentThread().join();
    }
}
