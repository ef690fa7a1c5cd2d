package io.gifchat.messaging;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.gifchat.GifChatApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.HttpHeaders;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server shuts down with clients connected: what was accepted is answered, then each connection is told the
 * server is going away, then closed. Each test starts (and stops) its own application, with an {@code /app/held}
 * handler that keeps every SEND's answer until the test gives it.
 */
class GracefulShutdownTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final BlockingQueue<AppHandler.Answer> held = new LinkedBlockingQueue<>();
    ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    void start(String drain) {
        AppHandler holding = new AppHandler() {
            @Override
            public String pattern() {
                return "/app/held";
            }

            @Override
            public reactor.core.publisher.Mono<Void> handle(AppMessage message, Answer answer) {
                held.add(answer);
                return reactor.core.publisher.Mono.empty();
            }
        };
        app = new SpringApplicationBuilder(GifChatApplication.class)
                .initializers(context -> ((GenericApplicationContext) context)
                        .registerBean("holding", AppHandler.class, () -> holding))
                .run("--server.port=0", "--gifchat.stomp.shutdown-drain=" + drain);
    }

    int port() {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    CompletableFuture<Void> shutDown() {
        GoingAway goingAway = app.getBean(GoingAway.class);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(app::close);
        await().atMost(TIMEOUT).until(goingAway::isUnderway);
        return closed;
    }

    @Test
    void aSendInFlightAtShutdownStillGetsItsReceiptThenTheGoingAwayErrorThenTheClose() throws Exception {
        start("10s");
        try (RawStompClient client = RawStompClient.connected(port());
             RawStompClient latecomer = RawStompClient.open(port(), new HttpHeaders())) {
            client.send("SEND\ndestination:/app/held\nreceipt:in-flight\n\nstored before the end\0");
            AppHandler.Answer inFlight = held.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(inFlight).as("handed to the application").isNotNull();
            Connection connection = app.getBean(Connections.class).all().get(0);

            CompletableFuture<Void> closed = shutDown();

            latecomer.send(StompProtocolTest.CONNECT);
            assertThat(header(latecomer.next(), "message")).as("a connection CONNECTing now is sent away at once")
                    .isEqualTo(GoingAway.MESSAGE);
            long before = connection.lastReceivedNanos();
            client.send("SEND\ndestination:/app/held\nreceipt:too-late\n\nnot accepted any more\0");
            await().atMost(TIMEOUT).until(() -> connection.lastReceivedNanos() != before);
            assertThat(client.next(Duration.ofMillis(50))).as("still draining: nothing yet").isNull();

            inFlight.done();

            assertThat(client.next()).isEqualTo("RECEIPT\nreceipt-id:in-flight\n\n");
            String error = client.next();
            assertThat(error).startsWith("ERROR\n");
            assertThat(header(error, "message")).isEqualTo("server going away; reconnect");
            assertThat(client.awaitClose(TIMEOUT)).as("then the close").isNotNull();
            closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(held).as("the SEND after the shutdown began never reached the application").isEmpty();
        }
    }

    @Test
    void aSendNeverAnsweredHoldsTheShutdownOnlyForTheDrainTimeout() throws Exception {
        start("300ms");
        try (RawStompClient client = RawStompClient.connected(port())) {
            client.send("SEND\ndestination:/app/held\nreceipt:never\n\nlost in the store\0");
            assertThat(held.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isNotNull();

            CompletableFuture<Void> closed = shutDown();

            String error = client.next();
            assertThat(header(error, "message")).as("no RECEIPT, the going-away ERROR").isEqualTo(GoingAway.MESSAGE);
            assertThat(client.awaitClose(TIMEOUT)).isNotNull();
            closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aFallbackConnectionGetsTheGoingAwayErrorThenItsStreamEnds() throws Exception {
        start("5s");
        io.gifchat.room.Visitor visitor = io.gifchat.room.Visitor.arrive(port());
        try (SseClient client = SseClient.open(port(), visitor.cookie(), visitor.csrf())) {
            client.post(StompProtocolTest.CONNECT);
            client.next("CONNECTED");
            CompletableFuture<Void> closed = shutDown();
            assertThat(header(client.next("ERROR").data(), "message")).isEqualTo(GoingAway.MESSAGE);
            assertThat(client.next()).isEqualTo(SseClient.Event.END);
            closed.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
