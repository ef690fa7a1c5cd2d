package io.gifchat.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gifchat.broker.Broker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gifchat.stomp.open-destinations=/topic/crowd")
class ThousandConnectionsTest {

    static final int CONNECTIONS = 1000;

    @LocalServerPort
    int port;

    @Autowired
    Broker broker;

    @Autowired
    Connections connections;

    @Test
    void aThousandConcurrentConnectionsAllSubscribeAndAllReceive() {
        List<RawStompClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                RawStompClient client = RawStompClient.open(port, new HttpHeaders());
                clients.add(client);
                client.send("CONNECT\naccept-version:1.2\nheart-beat:0,0\n\n\0"
                        + "SUBSCRIBE\nid:0\ndestination:/topic/crowd\nreceipt:in\n\n\0");
            }
            for (RawStompClient client : clients) {
                assertThat(client.next()).startsWith("CONNECTED");
                assertThat(client.next()).startsWith("RECEIPT");
            }
            assertThat(connections.count()).isGreaterThanOrEqualTo(CONNECTIONS);
            assertThat(broker.subscriberCount("/topic/crowd")).isEqualTo(CONNECTIONS);

            clients.get(0).send("SEND\ndestination:/topic/crowd\n\nhello crowd\0");

            for (RawStompClient client : clients) {
                assertThat(client.next()).endsWith("\n\nhello crowd");
            }
        } finally {
            clients.forEach(RawStompClient::close);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.subscriberCount("/topic/crowd") == 0);
    }
}
