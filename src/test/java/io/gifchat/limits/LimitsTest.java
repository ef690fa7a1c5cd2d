package io.gifchat.limits;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gifchat.MovableClock;
import io.gifchat.MovableTime;
import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import io.gifchat.session.SessionProperties;
import io.gifchat.web.browser.TestGifs;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each budget tried as an attacker would, through the real doors, with small budgets. Every test client comes from
 * 127.0.0.1, so the per-address budgets are shared by the tests: each test starts an hour later on the clock the
 * buckets read, when every bucket is full again.
 */
@Import(MovableTime.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.stomp.open-destinations=/topic/open",
        "gifchat.limits.frames=50/1m",
        "gifchat.limits.subscription-changes=10/1m",
        "gifchat.limits.handshakes=8/1m",
        "gifchat.limits.new-sessions=8/1m",
        "gifchat.limits.rooms=3/10m",
        "gifchat.limits.rooms-per-address=5/10m",
        "gifchat.limits.gif-uploads=3/1m",
        "gifchat.limits.gif-bytes-per-room=3000B/1h",
        "gifchat.limits.password-tries-per-address=4/1m",
        "gifchat.limits.admin-logins=3/1m",
        "gifchat.rooms.empty-grace=0s"})
class LimitsTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Autowired
    ReactiveMongoOperations mongo;

    final List<RawStompClient> clients = new ArrayList<>();

    @BeforeEach
    void everyBucketFull() {
        clock.advance(Duration.ofHours(1));
    }

    @AfterEach
    void close() {
        clients.forEach(RawStompClient::close);
    }

    RawStompClient connect(HttpHeaders headers) {
        RawStompClient client = RawStompClient.connected(port, headers);
        clients.add(client);
        return client;
    }

    static String awaitFrame(RawStompClient client, String command) {
        for (int i = 0; i < 100; i++) {
            String frame = client.next(WAIT);
            assertThat(frame).as("a %s frame", command).isNotNull();
            if (frame.startsWith(command)) {
                return frame;
            }
        }
        throw new AssertionError("no " + command);
    }

    @Test
    void aBurstOfTwoThousandTinySendsInOneWebSocketMessageIsCutAtTheFrameBudget() {
        RawStompClient listener = connect(new HttpHeaders());
        listener.send("SUBSCRIBE\nid:1\ndestination:/topic/open\nreceipt:in\n\n\0");
        awaitFrame(listener, "RECEIPT");
        RawStompClient attacker = connect(new HttpHeaders());

        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            burst.append("SEND\ndestination:/topic/open\n\nx\0");
        }
        attacker.send(burst.toString());

        String error = awaitFrame(attacker, "ERROR");
        assertThat(error).contains("message:You are sending too many frames; slow down.");
        assertThat(attacker.awaitClose(WAIT)).isNotNull();
        int delivered = 0;
        while (listener.next(Duration.ofMillis(500)) != null) {
            delivered++;
        }
        // 50 frames: CONNECT and 49 SENDs.
        assertThat(delivered).isEqualTo(49);
        listener.send("SEND\ndestination:/topic/open\n\nstill here\0");
        assertThat(awaitFrame(listener, "MESSAGE")).as("the listener is unaffected").endsWith("still here");
    }

    @Test
    void joinLeaveChurnIsRefusedOnceTheIdentitysSubscriptionBudgetIsSpent() {
        Visitor visitor = Visitor.arrive(port);
        String room = visitor.createRoom("churn", 10, null);
        RawStompClient client = connect(visitor.cookieHeader());

        for (int i = 0; i < 5; i++) {
            client.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + room + "\nreceipt:s" + i + "\n\n\0");
            awaitFrame(client, "RECEIPT");
            client.send("UNSUBSCRIBE\nid:r\nreceipt:u" + i + "\n\n\0");
            awaitFrame(client, "RECEIPT");
        }
        client.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + room + "\n\n\0");

        assertThat(awaitFrame(client, "ERROR")).contains("message:You are joining and leaving too often; wait a moment.");
        // Another tab of the same identity shares the budget...
        RawStompClient tab = connect(visitor.cookieHeader());
        tab.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + room + "\n\n\0");
        assertThat(awaitFrame(tab, "ERROR")).contains("too often");
        // ...which refills with time.
        clock.advance(Duration.ofMinutes(1));
        RawStompClient later = connect(visitor.cookieHeader());
        later.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + room + "\nreceipt:in\n\n\0");
        awaitFrame(later, "RECEIPT");
    }

    @Test
    void handshakesFromOneAddressBeyondTheBudgetGet429WithRetryAfter() throws Exception {
        for (int i = 0; i < 8; i++) {
            clients.add(RawStompClient.open(port, new HttpHeaders()));
        }

        String answer = rawHandshake();

        assertThat(answer).startsWith("HTTP/1.1 429");
        assertThat(answer).containsPattern("(?i)retry-after: [1-9]");
        assertThat(answer).contains("application/problem+json")
                .contains("Too many connections from your address; try again in a moment.");
    }

    @Test
    void newSessionsFromOneAddressBeyondTheBudgetGet429AndKnownVisitorsCarryOn() {
        List<Visitor> visitors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            visitors.add(Visitor.arrive(port));
        }

        web().get().uri("/api/rooms/none/participants").exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.detail").isEqualTo("Too many new visitors from your address; try again later.");
        visitors.get(0).get("/").expectStatus().isOk();
    }

    @Test
    void roomCreationIsBudgetedPerIdentityAndPerAddress() {
        Visitor first = Visitor.arrive(port);
        for (int i = 0; i < 3; i++) {
            first.createRoom("room " + i, 10, null);
        }
        first.post("/api/rooms", Map.of("title", "one too many")).expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.detail").isEqualTo("You have created too many rooms; try again later.");

        Visitor second = Visitor.arrive(port);
        second.createRoom("room 3", 10, null);
        second.createRoom("room 4", 10, null);
        second.post("/api/rooms", Map.of("title", "from the same address")).expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.detail").isEqualTo("Too many rooms were created from your address; try again later.");
    }

    @Test
    void gifUploadsAreBudgetedInCountPerIdentityAndInBytesPerRoom() {
        Visitor member = Visitor.arrive(port);
        String room = member.createRoom("gifs", 10, null);
        enter(member, room);
        byte[] gif = TestGifs.animated(16, 1);
        assertThat(gif.length).as("three fit the room's 3000 bytes, four do not").isBetween(751, 1000);

        for (int i = 0; i < 3; i++) {
            member.uploadGif(room, "a.gif", gif, true).expectStatus().isCreated();
        }
        member.uploadGif(room, "a.gif", gif, true).expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.detail").isEqualTo("You are uploading too many GIFs; wait a moment.");

        Visitor other = Visitor.arrive(port);
        enter(other, room);
        other.uploadGif(room, "b.gif", gif, true).expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.detail").isEqualTo("This room has received too many GIFs; try again later.");
    }

    @Test
    void passwordGuessesFromOneAddressAreCappedWhateverTheIdentities() {
        Visitor owner = Visitor.arrive(port);
        String room = owner.createRoom("locked", 10, "secret");

        for (int i = 0; i < 4; i++) {
            Visitor.arrive(port).post("/api/rooms/" + room + "/admission", Map.of("password", "guess" + i))
                    .expectStatus().isForbidden();
        }

        Visitor.arrive(port).post("/api/rooms/" + room + "/admission", Map.of("password", "secret"))
                .expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.detail").isEqualTo("Too many password tries from your address; wait a minute.");
    }

    @Test
    void adminLoginAttemptsFromOneAddressBeyondTheBudgetGet429() {
        WebTestClient web = web();
        for (int i = 0; i < 3; i++) {
            var login = loginPage(web);
            web.post().uri("/login").cookie("SESSION", login[0])
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .body(BodyInserters.fromFormData("username", "admin").with("password", "wrong" + i).with("_csrf", login[1]))
                    .exchange().expectStatus().is3xxRedirection();
        }
        var login = loginPage(web);
        web.post().uri("/login").cookie("SESSION", login[0])
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("username", "admin").with("password", "wrong").with("_csrf", login[1]))
                .exchange().expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("Too many login attempts; wait a minute.");
    }

    @Test
    void aSessionThatOnlyFetchedPagesIsKeptAnHourAndOneThatConnectedOrPostedSevenDays() {
        Visitor reader = Visitor.arrive(port);
        Visitor chatter = Visitor.arrive(port);
        Visitor creator = Visitor.arrive(port);

        connect(chatter.cookieHeader());
        creator.createRoom("kept", 10, null);

        assertThat(interval(reader)).isEqualTo(Duration.ofHours(1));
        assertThat(interval(chatter)).isEqualTo(Duration.ofDays(7));
        assertThat(interval(creator)).isEqualTo(Duration.ofDays(7));
    }

    /** How long the stored session lives: its expiry (what the sweeper and a TTL index go by) minus its last access. */
    Duration interval(Visitor visitor) {
        Document session = mongo.findById(visitor.cookie(), Document.class, SessionProperties.COLLECTION).block(WAIT);
        assertThat(session).as("the session is stored").isNotNull();
        Duration lifetime = Duration.between(session.getDate("accessed").toInstant(), session.getDate("expireAt").toInstant());
        // Spring Session also stores the max inactive interval, as an ISO-8601 duration: both must agree.
        assertThat(Duration.parse(session.getString("interval"))).isEqualTo(lifetime);
        return lifetime;
    }

    void enter(Visitor visitor, String room) {
        RawStompClient client = connect(visitor.cookieHeader());
        client.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + room + "\nreceipt:in\n\n\0");
        awaitFrame(client, "RECEIPT");
    }

    WebTestClient web() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(WAIT).build();
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** The login page's session cookie and CSRF token. */
    String[] loginPage(WebTestClient web) {
        var page = web.get().uri("/login").exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        Matcher token = CSRF.matcher(page.getResponseBody());
        assertThat(token.find()).as("csrf field").isTrue();
        return new String[] {page.getResponseCookies().getFirst("SESSION").getValue(), token.group(1)};
    }

    /** A WebSocket upgrade written by hand, to read the refusal's status line and headers as they are. */
    String rawHandshake() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.write(buffer, 0, n);
                if (answer.toString(StandardCharsets.UTF_8).contains("}")) {
                    break;
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
