package io.gifchat.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's event-stream reader: events as {@code EventSource} dispatches them, however the bytes are cut. */
@Timeout(10)
class EventStreamParserTest {

    private final List<String> events = new ArrayList<>();
    private final EventStreamParser parser = new EventStreamParser((type, data, length) ->
            events.add((type == null ? "message" : type) + "|" + new String(data, 0, length, StandardCharsets.UTF_8)));

    @Test
    void dataLinesAreJoinedWithLfAndABlankLineDispatches() {
        feed("event: token\ndata: abc.def\n\n"
                + "data: MESSAGE\ndata: destination:/topic/bench\ndata: \ndata: body\0\n\n"
                + "data: \ndata: \n\n");
        assertThat(events).containsExactly("token|abc.def", "message|MESSAGE\ndestination:/topic/bench\n\nbody\0",
                "message|\n");
    }

    @Test
    void commentsAndEventsWithoutDataAreDroppedAndTheTypeIsReset() {
        feed(":\n\nevent: base64\n\nid: 7\n\ndata:x\n\n");
        assertThat(events).containsExactly("message|x");
    }

    @Test
    void crAndCrlfEndLinesAsLfDoes() {
        feed("data: a\r\ndata: b\rdata: c\r\n\r\n");
        assertThat(events).containsExactly("message|a\nb\nc");
    }

    @Test
    void anEventCutAtEveryByteArrivesWhole() {
        byte[] stream = "event: token\r\ndata: t\r\n\r\ndata: MESSAGE\ndata: \ndata: x\0\n\n"
                .getBytes(StandardCharsets.UTF_8);
        for (byte b : stream) {
            parser.feed(new byte[] {b}, 0, 1);
        }
        assertThat(events).containsExactly("token|t", "message|MESSAGE\n\nx\0");
        assertThat(parser.failure()).isNull();
    }

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
    }
}
