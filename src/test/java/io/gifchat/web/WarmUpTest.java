package io.gifchat.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gifchat.room.Visitor;
import io.gifchat.session.SessionProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Once ready, the app asks itself for what a first visitor's page needs, and leaves nothing behind: no session, no
 * visitor's budget spent. (How much faster the first visitor is, is measured, not tested: see README, Decisions.)
 */
@Import(WarmUpTest.Requests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gifchat.limits.new-sessions=1/1m")
class WarmUpTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Every request the server answered, as "GET /path status". */
    @TestConfiguration(proxyBeanMethods = false)
    static class Requests {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Bean
        WebFilter requestRecorder() {
            return (exchange, chain) -> chain.filter(exchange).doFinally(signal -> seen.add(
                    exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value() + " "
                            + exchange.getResponse().getStatusCode().value()));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Requests requests;

    @Autowired
    WarmUp warmUp;

    @Autowired
    ReactiveMongoTemplate mongo;

    void awaitWarmUp() {
        await().atMost(WAIT).until(() -> requests.seen.contains(
                "GET /webjars/stomp__stompjs/bundles/stomp.umd.min.js 200"));
    }

    @Test
    void onceReadyTheServerAsksItselfForTheLobbyTheErrorPageTheApiAndThePagesAssets() {
        awaitWarmUp();

        assertThat(requests.seen).startsWith(
                "GET / 200",
                "GET /.well-known/gif-chat-warm-up 404",
                "GET /api/rooms 200",
                "GET /css/app.css 200",
                "GET /js/app.js 200",
                "GET /js/lobby.js 200",
                "GET /favicon.svg 200",
                "GET /webjars/htmx.org/dist/htmx.min.js 200",
                "GET /webjars/stomp__stompjs/bundles/stomp.umd.min.js 200");
    }

    @Test
    void theWarmUpLeavesNoSessionAndSpendsNoVisitorsBudget() {
        awaitWarmUp();

        assertThat(mongo.count(new Query(), SessionProperties.COLLECTION).block(WAIT))
                .as("the throwaway session is deleted").isZero();
        Visitor.arrive(port); // the loopback address's one new session (gifchat.limits.new-sessions=1/1m) is still there
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build()
                .get().uri("/").header(HttpHeaders.ACCEPT, "text/html").exchange()
                .expectStatus().isEqualTo(429); // and it was the only one
    }

    @Test
    void aWarmUpThatReachesNoServerEndsInAnErrorAndLeavesNoSession() throws Exception {
        awaitWarmUp();
        long sessions = mongo.count(new Query(), SessionProperties.COLLECTION).block(WAIT);
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        StepVerifier.create(warmUp.warm(new InetSocketAddress(InetAddress.getLoopbackAddress(), closed)))
                .expectError()
                .verify(WAIT);
        assertThat(mongo.count(new Query(), SessionProperties.COLLECTION).block(WAIT)).isEqualTo(sessions);
    }
}
