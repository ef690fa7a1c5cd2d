package io.gifchat.messaging;

import java.util.concurrent.atomic.AtomicLong;

import io.gifchat.broker.Subscription;
import io.gifchat.domain.Refusal;
import io.gifchat.stomp.MessageTemplate;
import io.gifchat.stomp.StompFrame;
import io.gifchat.stomp.StompHeaders;
import org.springframework.stereotype.Component;

/**
 * How a refused {@code /app} SEND is answered while the connection stays open: STOMP itself only has
 * ERROR-and-close, so the sending connection (that one tab, not all of the identity's) gets an {@link ErrorNotice}
 * on its {@code /user/queue/errors} subscription, if it has one, and no RECEIPT.
 */
@Component
class ErrorNotices {

    static final String DESTINATION = "/user/queue/errors";

    private final Wire wire;
    private final AtomicLong ids = new AtomicLong();

    ErrorNotices(Wire wire) {
        this.wire = wire;
    }

    void tell(Connection connection, StompFrame frame, Refusal refusal) {
        ErrorNotice notice = new ErrorNotice(refusal.getMessage(), frame.header(StompHeaders.DESTINATION),
                frame.header(StompHeaders.RECEIPT), refusal.clientId());
        for (Subscription subscription : connection.currentSubscriptions()) {
            if (DESTINATION.equals(subscription.destination())) {
                connection.deliver(MessageTemplate.of(DESTINATION, "e" + ids.incrementAndGet(), Wire.JSON, null,
                        wire.json(notice)).encode(subscription.id(), connection.version()), true);
                return;
            }
        }
    }
}
