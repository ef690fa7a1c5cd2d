package io.gifchat.messaging;

/**
 * {@code {type: "error", message, destination, receipt?, clientId?}} on the sender's {@code /user/queue/errors}: an
 * {@code /app} SEND was refused and the connection stays open. {@code receipt} is the refused frame's receipt id
 * (no RECEIPT follows), {@code clientId} the id the client gave the refused message.
 */
public record ErrorNotice(String message, String destination, String receipt, String clientId) implements WireEvent {

    @Override
    public String type() {
        return "error";
    }
}
