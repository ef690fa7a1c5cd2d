package io.gifchat.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A JSON event on the wire (a STOMP MESSAGE body, a history entry): a record with a {@code type} that the browser
 * dispatches on. Every one of them is listed, with an example, in the README's protocol section, and
 * {@code WireShapesTest} pins each shape. Serialized in one place, {@link Wire}; absent (null) fields are left out.
 */
@JsonPropertyOrder({"type"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public interface WireEvent {

    @JsonProperty("type")
    String type();
}
