package io.gifchat.stomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StompHeadersTest {

    private final StompHeaders headers = StompHeaders.of("destination", "/a", "x", "1", "destination", "/b");

    @Test
    void firstRepeatedEntryWins() {
        assertThat(headers.get("destination")).isEqualTo("/a");
        assertThat(headers.size()).isEqualTo(3);
    }

    @Test
    void namesAreCaseSensitive() {
        assertThat(headers.get("Destination")).isNull();
        assertThat(headers.contains("x")).isTrue();
    }

    @Test
    void keepsWireOrder() {
        assertThat(headers).containsExactly(Map.entry("destination", "/a"), Map.entry("x", "1"),
                Map.entry("destination", "/b"));
        List<String> visited = new ArrayList<>();
        headers.forEach((name, value) -> visited.add(name + "=" + value));
        assertThat(visited).containsExactly("destination=/a", "x=1", "destination=/b");
        assertThat(headers.name(2)).isEqualTo("destination");
        assertThat(headers.value(2)).isEqualTo("/b");
    }

    @Test
    void withAppendsAndWithoutRemovesEveryEntry() {
        StompHeaders more = headers.with("x", "2");
        assertThat(more.size()).isEqualTo(4);
        assertThat(more.get("x")).isEqualTo("1");
        assertThat(headers.size()).isEqualTo(3);
        assertThat(headers.without("destination")).isEqualTo(StompHeaders.of("x", "1"));
        assertThat(headers.without("absent")).isSameAs(headers);
    }

    @Test
    void builderIsSpentByBuild() {
        StompHeaders.Builder builder = StompHeaders.builder(1).add("a", "1").add("b", "2").add("a", "3");
        assertThat(builder.get("a")).isEqualTo("1");
        assertThat(builder.build()).isEqualTo(StompHeaders.of("a", "1", "b", "2", "a", "3"));
        assertThatThrownBy(() -> builder.add("c", "4")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void userDefinedHeadersAreTheSendersOwnEachNameOnceWithItsFirstValue() {
        StompHeaders send = StompHeaders.of("destination", "/topic/a", "cust", "f:o", "content-type", "text/plain",
                "content-length", "2", "receipt", "r1", "message-id", "spoofed", "subscription", "spoofed",
                "ack", "client", "transaction", "t1", "id", "9", "priority", "4", "cust", "second");

        assertThat(send.userDefined()).isEqualTo(StompHeaders.of("cust", "f:o", "priority", "4"));
    }

    @Test
    void aSendWithoutUserDefinedHeadersAllocatesNothing() {
        assertThat(StompHeaders.of("destination", "/a", "content-type", "text/plain", "receipt", "r").userDefined())
                .isSameAs(StompHeaders.EMPTY);
        StompHeaders own = StompHeaders.of("a", "1", "b", "2");
        assertThat(own.userDefined()).isSameAs(own);
    }

    @Test
    void toStringMasksThePasscode() {
        assertThat(StompHeaders.of("login", "bob", "passcode", "secret").toString())
                .isEqualTo("{login:bob, passcode:****}");
    }
}
