package io.gifchat.identity;

import java.io.Serializable;

/**
 * An anonymous chat identity: a stable random id (never the session id, which must stay secret), a nickname and
 * the color that npm color-hash 2.0.x gives for the id.
 */
public record Identity(String id, String name, String color) implements Serializable {
}
