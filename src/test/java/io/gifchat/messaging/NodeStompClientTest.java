package io.gifchat.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gifchat.NodeTools;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The STOMP endpoint driven by @stomp/stompjs 7.2.1 (the library the browser page loads) over Node's {@code ws}:
 * {@code src/test/node/stompjs-client/client.mjs} runs the scenario and prints one JSON line of what it saw; this
 * test judges it. The npm dependencies are installed into a copy under {@code target/}, so node_modules never lands
 * in the source tree.
 *
 * <p>Needs node and npm: skipped with a message where they are missing, but never under CI ({@code CI=true}), where
 * .ci/run installs node and a missing one fails this test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.stomp.open-destinations=/topic/test,/topic/other",
        "gifchat.stomp.heartbeat-send=1s",
        "gifchat.stomp.heartbeat-receive=1s"})
class NodeStompClientTest {

    static final Path SOURCE = Path.of("src", "test", "node", "stompjs-client");
    static final Path WORK = Path.of("target", "stompjs-client");
    static final List<String> FILES = List.of("package.json", "package-lock.json", "client.mjs");
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);
    static final String TOPIC = "/topic/test";

    @LocalServerPort
    int port;

    @Test
    void stompjsOverNodeWsConnectsPublishesCarriesSpecialCharsInHeadersKeepsAliveUnsubscribesAndDisconnects() throws Exception {
        NodeTools.requireNodeAndNpm("the stompjs client test");
        NodeTools.install(SOURCE, WORK, FILES);

        String url = "ws://127.0.0.1:" + port + "/ws";
        NodeTools.Result client = NodeTools.run(List.of("node", "client.mjs", url), WORK, CLIENT_TIMEOUT);
        assertThat(client.exit()).as("node client.mjs %s failed: %s", url, client).isZero();
        JsonNode r = JsonMapper.builder().build().readTree(client.lastLine());
        String why = client.toString();

        assertThat(r.path("ok").asBoolean()).as("ok; %s", why).isTrue();

        // connect: subprotocol, CONNECTED headers
        for (String c : List.of("a", "b")) {
            assertThat(text(r, "protocol", c)).as("subprotocol of %s; %s", c, why).isEqualTo("v12.stomp");
            assertThat(text(r, "connectedVersion", c)).as("STOMP version of %s; %s", c, why).isEqualTo("1.2");
            JsonNode connected = r.path("connected").path(c);
            assertThat(text(connected, "version")).as("CONNECTED version; %s", why).isEqualTo("1.2");
            assertThat(text(connected, "heart-beat")).as("CONNECTED heart-beat (server's 1s,1s); %s", why)
                    .isEqualTo("1000,1000");
            assertThat(text(connected, "server")).as("CONNECTED server; %s", why).isNotBlank();
            assertThat(text(connected, "session")).as("CONNECTED session; %s", why).isNotBlank();
            assertThat(text(connected, "user-id")).as("CONNECTED user-id; %s", why).isNotBlank();
            assertThat(text(connected, "user-name")).as("CONNECTED user-name; %s", why)
                    .matches("[A-Z][a-z]+ [A-Z][a-z]+ \\d{1,2}");
            assertThat(text(connected, "user-color")).as("CONNECTED user-color; %s", why).matches("#[0-9a-f]{6}");
        }
        assertThat(text(r, "connected", "a", "session")).as("two connections, two STOMP sessions; %s", why)
                .isNotEqualTo(text(r, "connected", "b", "session"));

        // subscribe with receipts, publish with a receipt, both clients receive it unchanged
        assertThat(strings(r.path("subscribeReceipts"))).as("SUBSCRIBE receipts; %s", why)
                .containsExactly("a-sub-1", "b-sub-1");
        JsonNode publish = r.path("publish");
        assertThat(text(publish, "receipt")).as("SEND receipt; %s", why).isEqualTo("a-send-1");
        for (String who : List.of("sender", "other")) {
            JsonNode message = publish.path(who);
            assertThat(text(message, "body")).as("body at the %s; %s", who, why)
                    .isEqualTo(text(publish, "sent", "body"));
            assertThat(text(message, "contentType")).as("content-type at the %s; %s", who, why)
                    .isEqualTo(text(publish, "sent", "contentType"));
            assertThat(text(message, "destination")).as("destination at the %s; %s", who, why).isEqualTo(TOPIC);
            assertThat(text(message, "messageId")).as("message-id at the %s; %s", who, why).isNotBlank();
        }
        assertThat(text(publish, "sender", "subscription")).as("sender's subscription id; %s", why).isEqualTo("a-1");
        assertThat(text(publish, "other", "subscription")).as("other's subscription id; %s", why).isEqualTo("b-1");

        // stompjs's own spec: a user-defined header with ':', LF, CR and '\' reaches both subscribers unchanged
        JsonNode headers = r.path("headers");
        assertThat(text(headers, "sent")).as("the special header sent; %s", why).contains(":", "\n", "\r", "\\");
        for (String who : List.of("sender", "other")) {
            assertThat(text(headers, who)).as("special chars in headers at the %s; %s", who, why)
                    .isEqualTo(text(headers, "sent"));
        }

        // heart-beats over an idle period of more than 3 s
        JsonNode heartbeats = r.path("heartbeats");
        assertThat(heartbeats.path("idleMs").asLong()).as("idle period; %s", why).isGreaterThanOrEqualTo(3000);
        for (String c : List.of("a", "b")) {
            JsonNode side = heartbeats.path(c);
            assertThat(side.path("received").asInt()).as("server heart-beats seen by %s while idle; %s", c, why)
                    .isGreaterThanOrEqualTo(2);
            assertThat(side.path("sent").asInt()).as("heart-beats sent by %s while idle; %s", c, why)
                    .isGreaterThanOrEqualTo(2);
            assertThat(side.path("connected").asBoolean()).as("%s still connected after idling; %s", c, why).isTrue();
        }
        assertThat(heartbeats.path("deliveredAfterIdle").asBoolean()).as("delivery after idling; %s", why).isTrue();

        // unsubscribe: the first subscription gets nothing more, the second and the other client get everything
        JsonNode unsubscribe = r.path("unsubscribe");
        assertThat(text(unsubscribe, "receipt")).as("UNSUBSCRIBE receipt; %s", why).isEqualTo("a-unsub-1");
        assertThat(strings(unsubscribe.path("firstSubscriptionAfterUnsubscribe")))
                .as("messages for the unsubscribed subscription; %s", why).isEmpty();
        assertThat(strings(unsubscribe.path("unhandledForFirstSubscription")))
                .as("MESSAGE frames still addressed to the unsubscribed subscription; %s", why).isEmpty();
        assertThat(strings(unsubscribe.path("secondSubscription"))).as("second subscription; %s", why)
                .containsExactly("after unsubscribe", "fence");
        assertThat(strings(unsubscribe.path("secondSubscriptionIds"))).as("second subscription ids; %s", why)
                .containsOnly("a-2");
        assertThat(strings(unsubscribe.path("otherClient"))).as("everything B saw, once each; %s", why)
                .containsExactly(text(publish, "sent", "body"), "special headers", "after idle", "after unsubscribe",
                        "fence");

        // disconnect: stompjs sends DISCONNECT with a receipt and waits for it before closing
        for (String c : List.of("a", "b")) {
            JsonNode disconnect = r.path("disconnect").path(c);
            assertThat(text(disconnect, "receiptId")).as("RECEIPT for %s's DISCONNECT; %s", c, why)
                    .startsWith("close-");
            assertThat(disconnect.path("closed").asBoolean()).as("%s closed; %s", c, why).isTrue();
        }

        // a destination that is not open: ERROR with a message, then the server closes
        JsonNode error = r.path("error");
        assertThat(error.path("frames").size()).as("ERROR frames for SUBSCRIBE %s; %s",
                text(error, "destination"), why).isEqualTo(1);
        assertThat(text(error.path("frames").path(0), "headers", "message")).as("ERROR message; %s", why)
                .isNotBlank()
                .satisfiesAnyOf(
                        message -> assertThat(message).containsIgnoringCase("not allowed"),
                        message -> assertThat(message).containsIgnoringCase("not authorized"));
        assertThat(error.path("closeCode").isMissingNode()).as("closed after the ERROR; %s", why).isFalse();

        assertThat(strings(r.path("unexpected").path("unhandledReceipts"))).as("receipts nobody asked for; %s", why)
                .isEmpty();
        assertThat(r.path("unexpected").path("unhandledMessages").size()).as("MESSAGEs for no subscription; %s", why)
                .isZero();
    }

    private static String text(JsonNode node, String... path) {
        JsonNode at = node;
        for (String name : path) {
            at = at.path(name);
        }
        return at.isMissingNode() || at.isNull() ? null : at.asString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.values().forEach(value -> values.add(value.asString()));
        return values;
    }
}
