package io.gifchat.store;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gifchat.GifChatApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HealthTest {

    static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(GifChatApplication.class).run(args);
    }

    static WebTestClient client(ConfigurableApplicationContext app) {
        String port = app.getEnvironment().getProperty("local.server.port");
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void embeddedStoreIsHealthyAndInfoShowsTheVersion() {
        try (var app = start("--server.port=0")) {
            WebTestClient client = client(app);
            client.get().uri("/actuator/health").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.components.mongo.status").isEqualTo("UP");
            client.get().uri("/actuator/info").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.build.version").isNotEmpty();
        }
    }

    @Test
    void unreachableMongoIsDownAndRecoversByItself() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (var app = start("--server.port=0", "--spring.mongodb.uri=mongodb://127.0.0.1:" + port + "/gifchat",
                "--gifchat.mongo.server-selection-timeout=1s")) {
            assertThat(app.getBeanNamesForType(EmbeddedMongo.class)).as("nothing embedded when a URI is set").isEmpty();
            WebTestClient client = client(app);
            client.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.components.mongo.status").isEqualTo("DOWN");

            MongoServer mongo = new MongoServer(new MemoryBackend());
            try {
                mongo.bind(new InetSocketAddress("127.0.0.1", port));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        client.get().uri("/actuator/health").exchange().expectStatus().isOk()
                                .expectBody().jsonPath("$.components.mongo.status").isEqualTo("UP"));
            } finally {
                mongo.shutdownNow();
            }
        }
    }
}
