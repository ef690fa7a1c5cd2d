package io.gifchat.stomp;

import static io.gifchat.stomp.StompVersion.V1_0;
import static io.gifchat.stomp.StompVersion.V1_1;
import static io.gifchat.stomp.StompVersion.V1_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StompCommandTest {

    @Test
    void onlySendMessageAndErrorCarryABody() {
        assertThat(List.of(StompCommand.values())).filteredOn(StompCommand::isBodyAllowed)
                .containsExactly(StompCommand.SEND, StompCommand.MESSAGE, StompCommand.ERROR);
    }

    @Test
    void connectFramesAreNeverEscaped() {
        assertThat(List.of(StompCommand.values())).filteredOn(c -> !c.escapesHeaders())
                .containsExactly(StompCommand.CONNECT, StompCommand.STOMP, StompCommand.CONNECTED);
    }

    @Test
    void everyCommandIsSentByExactlyOneSide() {
        for (StompCommand c : StompCommand.values()) {
            assertThat(c.isClientCommand()).as(c.name()).isNotEqualTo(c.isServerCommand());
        }
        assertThat(StompCommand.MESSAGE.isServerCommand()).isTrue();
        assertThat(StompCommand.SEND.isClientCommand()).isTrue();
    }

    @Test
    void requiredHeadersDependOnTheVersion() {
        assertThat(StompCommand.SUBSCRIBE.requiredHeaders(V1_0)).containsExactly(List.of("destination"));
        assertThat(StompCommand.SUBSCRIBE.requiredHeaders(V1_2))
                .containsExactly(List.of("destination"), List.of("id"));
        assertThat(StompCommand.UNSUBSCRIBE.requiredHeaders(V1_0)).containsExactly(List.of("id", "destination"));
        assertThat(StompCommand.ACK.requiredHeaders(V1_1))
                .containsExactly(List.of("message-id"), List.of("subscription"));
        assertThat(StompCommand.ACK.requiredHeaders(V1_2)).containsExactly(List.of("id"));
    }

    @ParameterizedTest
    @EnumSource(StompVersion.class)
    void connectRequiresNeitherAcceptVersionNorHost(StompVersion version) {
        assertThatCode(() -> StompFrame.of(StompCommand.CONNECT, null).validate(version)).doesNotThrowAnyException();
        assertThatCode(() -> StompFrame.of(StompCommand.STOMP, null).validate(version)).doesNotThrowAnyException();
    }

    @Test
    void validateNamesTheFirstMissingHeader() {
        StompFrame message = StompFrame.of(StompCommand.MESSAGE, StompHeaders.of("destination", "/a", "message-id", "1"));
        assertThatCode(() -> message.validate(V1_0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> message.validate(V1_2)).isInstanceOf(StompProtocolException.class)
                .hasMessage("missing header: subscription");
    }

    @Test
    void validateRejectsABodyWhereNoneIsAllowed() {
        StompFrame frame = StompFrame.of(StompCommand.UNSUBSCRIBE, StompHeaders.of("id", "1"), new byte[] {1});
        assertThatThrownBy(() -> frame.validate(V1_2)).hasMessage("body not allowed for UNSUBSCRIBE");
    }
}
