package io.gifchat.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gifchat.broker.Broker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.stomp.open-destinations=" + SlowConsumerTest.TOPIC,
        "gifchat.stomp.outbound-frames=256",
        "gifchat.stomp.outbound-size=256KB"})
class SlowConsumerTest {

    static final String TOPIC = "/topic/slow";

    @LocalServerPort
    int port;

    @Autowired
    Broker broker;

    @Autowired
    StompMetrics metrics;

    @Test
    void aStalledConsumerIsCutWhileOthersReceiveEverythingInOrder() throws Exception {
        try (RawStompClient fast = RawStompClient.connected(port); StalledSocket stalled = new StalledSocket(port)) {
            fast.send("SUBSCRIBE\nid:f\ndestination:" + TOPIC + "\nreceipt:r\n\n\0");
            assertThat(fast.next()).startsWith("RECEIPT");
            stalled.send("CONNECT\naccept-version:1.2\nheart-beat:0,0\n\n\0");
            stalled.send("SUBSCRIBE\nid:s\ndestination:" + TOPIC + "\nreceipt:r\n\n\0");
            stalled.readUntil("receipt-id:r");
            assertThat(broker.subscriberCount(TOPIC)).isEqualTo(2);
            double cutBefore = metrics.slowConsumers();

            // Paced like a real room: the fast reader keeps up, the stalled one never reads again.
            byte[] padding = "x".repeat(1000).getBytes();
            int batches = 200;
            int perBatch = 100;
            List<String> received = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < perBatch; i++) {
                    byte[] body = new byte[padding.length + 8];
                    byte[] seq = String.format("%08d", b * perBatch + i).getBytes();
                    System.arraycopy(seq, 0, body, 0, 8);
                    System.arraycopy(padding, 0, body, 8, padding.length);
                    broker.publish(TOPIC, "text/plain", body);
                }
                for (int i = 0; i < perBatch; i++) {
                    String message = fast.next();
                    assertThat(message).as("message %d reached the fast consumer", received.size()).isNotNull();
                    received.add(message);
                }
            }

            assertThat(received).hasSize(batches * perBatch);
            for (int n = 0; n < received.size(); n++) {
                String message = received.get(n);
                assertThat(header(message, "subscription")).isEqualTo("f");
                assertThat(message.substring(message.indexOf("\n\n") + 2, message.indexOf("\n\n") + 10))
                        .isEqualTo(String.format("%08d", n));
            }
            assertThat(fast.isOpen()).isTrue();
            assertThat(metrics.slowConsumers()).isEqualTo(cutBefore + 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.subscriberCount(TOPIC) == 1);
        }
    }
}
