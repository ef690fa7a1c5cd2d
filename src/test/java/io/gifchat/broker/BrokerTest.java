package io.gifchat.broker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.gifchat.stomp.StompHeaders;
import io.gifchat.stomp.StompVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerTest {

    record Received(byte[] frame, boolean utf8) {
        String text() {
            return new String(frame, StandardCharsets.UTF_8);
        }
    }

    static final class Recorder implements Subscriber {
        final String user;
        final StompVersion version;
        final List<Received> received = new ArrayList<>();

        Recorder(String user) {
            this(user, StompVersion.V1_2);
        }

        Recorder(String user, StompVersion version) {
            this.user = user;
            this.version = version;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public StompVersion version() {
            return version;
        }

        @Override
        public synchronized void deliver(byte[] frame, boolean text) {
            received.add(new Received(frame, text));
        }
    }

    final Broker broker = new Broker();

    @Test
    void publishEncodesOncePerSubscriptionIdAndSharesTheBytes() {
        Recorder a = new Recorder("a");
        Recorder b = new Recorder("b");
        Recorder c = new Recorder("c");
        broker.subscribe(a, "sub-0", "/topic/room");
        broker.subscribe(b, "sub-0", "/topic/room");
        broker.subscribe(c, "7", "/topic/room");

        int delivered = broker.publish("/topic/room", "application/json", "{}".getBytes());

        assertThat(delivered).isEqualTo(3);
        assertThat(a.received.get(0).frame()).as("same id, same array").isSameAs(b.received.get(0).frame());
        assertThat(a.received.get(0).text()).startsWith("MESSAGE\ndestination:/topic/room\n")
                .contains("content-type:application/json\n").contains("\nsubscription:sub-0\n").endsWith("\n\n{}\0");
        assertThat(c.received.get(0).text()).contains("\nsubscription:7\n");
        assertThat(a.received.get(0).utf8()).as("UTF-8 body: a text frame").isTrue();
    }

    @Test
    void aSendersHeaderThatStomp10CannotCarryDoesNotStopTheFanOutAtA10Subscriber() {
        Recorder old = new Recorder("old", StompVersion.V1_0);
        Recorder v11 = new Recorder("v11", StompVersion.V1_1);
        Recorder v12 = new Recorder("v12", StompVersion.V1_2);
        for (Recorder r : List.of(old, v11, v12)) {
            broker.subscribe(r, "s", "/topic/h");
        }

        int delivered = broker.publish("/topic/h", "text/plain", StompHeaders.of("cust", "a\nb", "plain", "x"),
                "hi".getBytes());

        assertThat(delivered).isEqualTo(3);
        assertThat(old.received.get(0).text()).contains("\nplain:x\n").doesNotContain("cust");
        assertThat(v11.received.get(0).text()).contains("\ncust:a\\nb\n", "\nplain:x\n");
        assertThat(v12.received.get(0).text()).contains("\ncust:a\\nb\n", "\nplain:x\n");
    }

    @Test
    void aBodyThatIsNotUtf8IsMarkedForABinaryFrame() {
        Recorder a = new Recorder("a");
        broker.subscribe(a, "1", "/topic/bin");

        broker.publish("/topic/bin", "application/octet-stream", new byte[] {(byte) 0xff, 0, (byte) 0xfe});

        assertThat(a.received.get(0).utf8()).isFalse();
    }

    @Test
    void destinationsAreExactWithoutWildcards() {
        Recorder a = new Recorder("a");
        broker.subscribe(a, "1", "/topic/chat/1");

        assertThat(broker.publish("/topic/chat/1/typing", null, new byte[0])).isZero();
        assertThat(broker.publish("/topic/chat/*", null, new byte[0])).isZero();
        assertThat(broker.publish("/topic/chat/1", null, new byte[0])).isEqualTo(1);
    }

    @Test
    void userQueuesAreFiledPerIdentity() {
        Recorder tab1 = new Recorder("alice");
        Recorder tab2 = new Recorder("alice");
        Recorder bob = new Recorder("bob");
        broker.subscribe(tab1, "q", "/user/queue/whisper");
        broker.subscribe(tab2, "q", "/user/queue/whisper");
        broker.subscribe(bob, "q", "/user/queue/whisper");

        assertThat(broker.sendToUser("alice", "/queue/whisper", null, "hi".getBytes())).isEqualTo(2);
        assertThat(bob.received).isEmpty();
        assertThat(tab1.received.get(0).text()).contains("\ndestination:/user/queue/whisper\n");
        assertThat(broker.publish("/user/queue/whisper", null, "spoof".getBytes())).as("no shared user topic").isZero();
    }

    @Test
    void unsubscribeStopsDeliveryAndForgetsEmptyDestinations() {
        Recorder a = new Recorder("a");
        Subscription subscription = broker.subscribe(a, "1", "/topic/x");

        broker.unsubscribe(subscription);

        assertThat(broker.publish("/topic/x", null, new byte[0])).isZero();
        assertThat(broker.subscriberCount("/topic/x")).isZero();
        assertThat(broker.subscriptions("/topic/x")).isEmpty();
    }

    @Test
    void concurrentSubscribesUnsubscribesAndPublishesLoseNoSubscription() throws InterruptedException {
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch done = new CountDownLatch(threads);
        List<Recorder> keepers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Recorder keeper = new Recorder("k" + t);
            keepers.add(keeper);
            pool.execute(() -> {
                for (int i = 0; i < perThread; i++) {
                    Recorder transient_ = new Recorder("t");
                    Subscription s = broker.subscribe(transient_, "x", "/topic/busy");
                    broker.publish("/topic/busy", null, new byte[0]);
                    broker.unsubscribe(s);
                }
                broker.subscribe(keeper, "k", "/topic/busy");
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();

        assertThat(broker.subscriberCount("/topic/busy")).isEqualTo(threads);
        assertThat(broker.publish("/topic/busy", null, new byte[0])).isEqualTo(threads);
    }
}
