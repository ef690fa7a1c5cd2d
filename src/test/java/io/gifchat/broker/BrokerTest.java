package io.gifchat.broker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.gifchat.stomp.MessageTemplate;
import io.gifchat.stomp.StompVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerTest {

    record Received(MessageTemplate message, String subscriptionId) {
    }

    static final class Recorder implements Subscriber {
        final String user;
        final List<Received> received = new ArrayList<>();

        Recorder(String user) {
            this.user = user;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public StompVersion version() {
            return StompVersion.V1_2;
        }

        @Override
        public synchronized void deliver(MessageTemplate message, Subscription subscription) {
            received.add(new Received(message, subscription.id()));
        }
    }

    final Broker broker = new Broker();

    @Test
    void publishEncodesOnceAndHandsTheSameBytesToEverySubscriber() {
        Recorder a = new Recorder("a");
        Recorder b = new Recorder("b");
        broker.subscribe(a, "1", "/topic/room");
        broker.subscribe(b, "7", "/topic/room");

        int delivered = broker.publish("/topic/room", "application/json", "{}".getBytes());

        assertThat(delivered).isEqualTo(2);
        assertThat(a.received.get(0).message()).isSameAs(b.received.get(0).message());
        assertThat(a.received.get(0).subscriptionId()).isEqualTo("1");
        assertThat(b.received.get(0).subscriptionId()).isEqualTo("7");
        String frame = new String(a.received.get(0).message().encode("1", StompVersion.V1_2), StandardCharsets.UTF_8);
        assertThat(frame).startsWith("MESSAGE\ndestination:/topic/room\n").contains("content-type:application/json\n")
                .endsWith("\n\n{}\0");
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
        assertThat(tab1.received.get(0).message().destination()).isEqualTo("/user/queue/whisper");
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
