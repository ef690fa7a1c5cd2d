package io.gifchat.messaging;

import java.util.List;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place {@link WireEvent}s become JSON. {@link Wire} sends what it encodes; a module that must encode
 * without sending (the cluster's orderer filling a gap from the store) uses this directly.
 */
@Component
public class WireJson {

    public static final String CONTENT_TYPE = "application/json";

    private final JsonMapper json;

    WireJson(JsonMapper json) {
        this.json = json;
    }

    public byte[] json(WireEvent event) {
        return json.writeValueAsBytes(event);
    }

    /** A list of events as one JSON array (the lines a page is rendered with). */
    public String jsonArray(List<? extends WireEvent> events) {
        return json.writeValueAsString(events);
    }
}
