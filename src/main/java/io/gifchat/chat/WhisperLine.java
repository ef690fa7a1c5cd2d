package io.gifchat.chat;

import java.time.Instant;

import io.gifchat.identity.Identity;
import io.gifchat.messaging.WireEvent;

/** {@code /user/queue/whisper}, to every tab of the recipient and, as an echo, of the sender. Never stored. */
public record WhisperLine(String room, Identity from, Identity to, String chat, String clientId, Instant createdAt)
        implements WireEvent {

    @Override
    public String type() {
        return "whisper";
    }
}
