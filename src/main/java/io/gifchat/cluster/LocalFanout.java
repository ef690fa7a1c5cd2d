package io.gifchat.cluster;

import io.gifchat.broker.Broker;
import io.gifchat.stomp.StompHeaders;
import reactor.core.publisher.Mono;

/** One node: straight to this node's broker. A room's lines are in order already: its log is their only writer. */
final class LocalFanout implements Fanout {

    private final Broker broker;

    LocalFanout(Broker broker) {
        this.broker = broker;
    }

    @Override
    public int publish(String destination, String contentType, StompHeaders headers, byte[] body) {
        return broker.publish(destination, contentType, headers, body);
    }

    @Override
    public void publishInOrder(String destination, String contentType, byte[] body, long order) {
        broker.publish(destination, contentType, body);
    }

    @Override
    public void sendToUser(String user, String queue, String contentType, byte[] body) {
        broker.sendToUser(user, queue, contentType, body);
    }

    @Override
    public Mono<Void> listening(String key) {
        return Mono.empty();
    }
}
