package io.gifchat.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;

/**
 * A mongo-java-server listening on a free loopback port, so the app runs with no database installed.
 * It is this bean's connection details that the Mongo client uses, so the client cannot connect before it is bound,
 * and Spring destroys the client (its dependant) before calling {@link #close()}: the store stops last, after the
 * web server has drained and every Mongo user has gone.
 */
class EmbeddedMongo implements MongoConnectionDetails, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);

    private final MongoServer server;
    private final StoreFile h2;
    private final ConnectionString connectionString;

    EmbeddedMongo(EmbeddedMongoProperties properties) {
        boolean file = properties.storage() == EmbeddedMongoProperties.Storage.FILE;
        this.h2 = file ? h2File(properties.path()) : null;
        this.server = new MongoServer(file ? h2 : new MemoryBackend());
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress address = server.getLocalAddress();
        this.connectionString = new ConnectionString("mongodb://127.0.0.1:" + address.getPort() + "/" + properties.database());
        log.info("No spring.mongodb.uri set: embedded MongoDB-compatible store ({}) on {}",
                file ? properties.path() : "in memory", address);
    }

    private static StoreFile h2File(String path) {
        Path file = Path.of(path).toAbsolutePath().normalize();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the embedded store's directory " + file.getParent(), e);
        }
        return StoreFile.open(file);
    }

    @Override
    public ConnectionString getConnectionString() {
        return connectionString;
    }

    boolean isFile() {
        return h2 != null;
    }

    /**
     * Writes what is buffered to the H2 file and syncs it to the disk, so it survives a crash and a power cut.
     * Blocking I/O.
     */
    void commit() {
        if (h2 != null) {
            h2.commit();
        }
    }

    /** The file's housekeeping ({@link StoreFile#keep()}); nothing for the memory store. Blocking I/O. */
    void keep() {
        if (h2 != null) {
            h2.keep();
        }
    }

    @Override
    public void close() {
        server.shutdownNow(); // also closes the backend, which commits the H2 file
        log.info("Embedded MongoDB-compatible store stopped");
    }
}
