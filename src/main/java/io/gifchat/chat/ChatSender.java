package io.gifchat.chat;

import java.time.Clock;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.messaging.AppHandler;
import io.gifchat.messaging.AppMessage;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code SEND /app/chat/{roomId}} with {@code {"chat": "...", "clientId": "<uuid>"}}: checked, rate-limited,
 * stored with the room's next seq, then published; the RECEIPT follows the store. A refused message leaves the
 * connection open and says why on {@code /user/queue/errors}.
 */
@Component
class ChatSender implements AppHandler {

    private final RoomLog log;
    private final ChatGate gate;
    private final Clock clock;

    ChatSender(RoomLog log, ChatGate gate, Clock clock) {
        this.log = log;
        this.gate = gate;
        this.clock = clock;
    }

    @Override
    public String pattern() {
        return "/app/chat/{roomId}";
    }

    /** Checked now; stored with whatever else queued in the room meanwhile; answered once durable and published. */
    @Override
    public Mono<Void> handle(AppMessage message, Answer answer) {
        String roomId = message.variable("roomId");
        Identity me = message.sender();
        return gate.admit(me, roomId, message.body()).doOnNext(input -> {
            String dedupeId = input.clientId() == null ? null : roomId + ":" + me.id() + ":" + input.clientId();
            log.offer(roomId, dedupeId, seq -> Chat.text(dedupeId, roomId, seq, me, input.chat(), input.clientId(),
                    clock.instant()), new Lane.Reply<>() {
                        @Override
                        public void success(Chat stored) {
                            answer.done();
                        }

                        @Override
                        public void error(Throwable error) {
                            answer.failed(error instanceof Refusal refusal ? refusal.forClientId(input.clientId()) : error);
                        }
                    });
        }).then();
    }
}
