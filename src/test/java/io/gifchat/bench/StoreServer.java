package io.gifchat.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The embedded store alone, in its own JVM, for the chat benchmark's ceiling: the same mongo-java-server backends
 * the app embeds, driven directly through the MongoDB driver. Arguments: port, {@code memory} or an H2 file path.
 */
public final class StoreServer {

    private StoreServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        MongoServer server = new MongoServer("memory".equals(args[1]) ? new MemoryBackend()
                : new H2Backend(Path.of(args[1]).toAbsolutePath().toString()));
        server.bind(new InetSocketAddress("127.0.0.1", port));
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("store ready on " + port);
        Thread.currentThread().join();
    }
}
