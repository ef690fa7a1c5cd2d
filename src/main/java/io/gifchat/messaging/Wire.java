package io.gifchat.messaging;

import java.util.Collection;
import java.util.List;

import io.gifchat.cluster.Fanout;
import io.gifchat.stomp.StompHeaders;
import org.springframework.stereotype.Component;

/**
 * The one place {@link WireEvent}s go out as JSON ({@link WireJson}): to a topic's subscribers, to one identity's
 * queue, into a page — on every node ({@link Fanout}). (HTTP answers such as the history API are written by
 * WebFlux's codec, which uses the same mapper.)
 */
@Component
public class Wire {

    static final String JSON = WireJson.CONTENT_TYPE;

    private final Fanout fanout;
    private final WireJson json;

    Wire(Fanout fanout, WireJson json) {
        this.fanout = fanout;
        this.json = json;
    }

    public byte[] json(WireEvent event) {
        return json.json(event);
    }

    /** A list of events as one JSON array (the lines a page is rendered with). */
    public String jsonArray(List<? extends WireEvent> events) {
        return json.jsonArray(events);
    }

    /** To every subscriber of the destination (e.g. {@code /topic/chat/{roomId}}). */
    public void publish(String destination, WireEvent event) {
        fanout.publish(destination, JSON, StompHeaders.EMPTY, json(event));
    }

    /**
     * An event with its place in the destination's order (a room's line and its seq): in a cluster every node puts
     * the lines of all nodes in that order before its subscribers see them.
     */
    public void publishInOrder(String destination, WireEvent event, long order) {
        fanout.publishInOrder(destination, JSON, json(event), order);
    }

    /** To every connection of one identity subscribed to {@code /user} + {@code queue}. */
    public void sendToUser(String identityId, String queue, WireEvent event) {
        fanout.sendToUser(identityId, queue, JSON, json(event));
    }

    /** The same event to several identities' queues, encoded once. */
    public void sendToUsers(Collection<String> identityIds, String queue, WireEvent event) {
        byte[] body = json(event);
        identityIds.forEach(identityId -> fanout.sendToUser(identityId, queue, JSON, body));
    }
}
