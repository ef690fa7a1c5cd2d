package io.gifchat.messaging;

import java.util.Map;

import io.gifchat.identity.Identity;

/**
 * A SEND to an {@code /app/...} destination, as an application handler sees it: who sent it, the destination's
 * path variables, and the body. No STOMP frame: handlers never need the protocol.
 */
public record AppMessage(Identity sender, Map<String, String> variables, byte[] body) {

    public String variable(String name) {
        return variables.get(name);
    }
}
