package io.gifchat.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The MongoDB-wire-compatible store started when {@code spring.mongodb.uri} is not set.
 *
 * @param storage {@code file} keeps data in an H2 MVStore file under {@code path} (survives restarts);
 *                {@code memory} keeps nothing (tests)
 * @param path    the H2 file; its directory is created on start
 * @param database the database name the application uses
 */
@ConfigurationProperties("gifchat.embedded-mongo")
public record EmbeddedMongoProperties(
        @DefaultValue("file") Storage storage,
        @DefaultValue("./data/gifchat.mv") String path,
        @DefaultValue("gifchat") String database) {

    public enum Storage { FILE, MEMORY }
}
