package io.gifchat.messaging;

import java.util.Collection;
import java.util.List;

import io.gifchat.broker.Broker;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place {@link WireEvent}s become JSON and go out: to a topic's subscribers, to one identity's queue, into
 * a page. (HTTP answers such as the history API are written by WebFlux's codec, which uses the same mapper.)
 */
@Component
public class Wire {

    static final String JSON = "application/json";

    private final Broker broker;
    private final JsonMapper json;

    Wire(Broker broker, JsonMapper json) {
        this.broker = broker;
        this.json = json;
    }

    public byte[] json(WireEvent event) {
        return json.writeValueAsBytes(event);
    }

    /** A list of events as one JSON array (the lines a page is rendered with). */
    public String jsonArray(List<? extends WireEvent> events) {
        return json.writeValueAsString(events);
    }

    /** To every subscriber of the destination (e.g. {@code /topic/chat/{roomId}}). */
    public void publish(String destination, WireEvent event) {
        broker.publish(destination, JSON, json(event));
    }

    /** To every connection of one identity subscribed to {@code /user} + {@code queue}. */
    public void sendToUser(String identityId, String queue, WireEvent event) {
        broker.sendToUser(identityId, queue, JSON, json(event));
    }

    /** The same event to several identities' queues, encoded once. */
    public void sendToUsers(Collection<String> identityIds, String queue, WireEvent event) {
        byte[] body = json(event);
        identityIds.forEach(identityId -> broker.sendToUser(identityId, queue, JSON, body));
    }
}
