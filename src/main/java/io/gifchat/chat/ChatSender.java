package io.gifchat.chat;

import java.time.Clock;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.messaging.AppHandler;
import io.gifchat.messaging.AppMessage;
import org.springframework.stereotype.Component;

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

    /**
     * Checked now; stored with whatever else queued in the room meanwhile; answered once durable and published.
     * The answer is a callback ({@link AppHandler}), so the admission is subscribed here and its refusal goes to
     * it: on one node the rate is decided within this call, as a plain check would be; in a cluster it is Redis's
     * answer, and the sender's messages still reach the log in the order they came.
     */
    @Override
    public void handle(AppMessage message, Answer answer) {
        String roomId = message.variable("roomId");
        Identity me = message.sender();
        gate.admit(me, roomId, message.body())
                .doOnNext(input -> store(roomId, me, input, answer))
                .subscribe(null, answer::failed);
    }

    private void store(String roomId, Identity me, ChatInput input, Answer answer) {
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
    }
}
