package io.gifchat.chat;

import java.time.Clock;
import java.util.List;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.messaging.AppHandler;
import io.gifchat.messaging.AppMessage;
import io.gifchat.messaging.Wire;
import io.gifchat.room.Presence;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code SEND /app/chat/{roomId}/whisper} with {@code {"to": "<identity id>", "chat": "..."}}: both must be in the
 * room. Delivered on {@code /user/queue/whisper} to every tab of the recipient, and echoed to the sender's.
 * Whispers are not stored: they exist only for the people present.
 */
@Component
class Whisper implements AppHandler {

    static final String QUEUE = "/queue/whisper";

    private final Wire wire;
    private final Presence presence;
    private final ChatGate gate;
    private final Clock clock;

    Whisper(Wire wire, Presence presence, ChatGate gate, Clock clock) {
        this.wire = wire;
        this.presence = presence;
        this.gate = gate;
        this.clock = clock;
    }

    @Override
    public String pattern() {
        return "/app/chat/{roomId}/whisper";
    }

    @Override
    public Mono<Void> handle(AppMessage message, Answer answer) {
        String roomId = message.variable("roomId");
        Identity me = message.sender();
        return gate.admit(me, roomId, message.body()).flatMap(input -> (input.to() == null ? Mono.<Identity>empty()
                        : presence.member(roomId, input.to()))
                .switchIfEmpty(Mono.error(() -> Refusal.of(Refusal.Reason.NOT_FOUND, "That person is not in the room.")
                        .forClientId(input.clientId())))
                .doOnNext(to -> {
                    WhisperLine whisper = new WhisperLine(roomId, me, to, input.chat(), input.clientId(), clock.instant());
                    wire.sendToUsers(to.id().equals(me.id()) ? List.of(me.id()) : List.of(to.id(), me.id()), QUEUE, whisper);
                    answer.done();
                }))
                .then();
    }
}
