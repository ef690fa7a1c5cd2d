package io.gifchat.cluster;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostedNoticeTest {

    @Test
    void everyKindOfNoticeComesOutAsItWentIn() {
        List<Notice> notices = List.of(
                new Notice.SubscriptionsEnded(null, List.of("/topic/chat/r1", "/topic/chat/r1/typing")),
                new Notice.SubscriptionsEnded("identity-é", List.of("/topic/chat/r1")),
                new Notice.SubscriptionsEnded("someone", List.of()),
                new Notice.RoomDeleted("r1"),
                new Notice.Banned("r1", "someone", Instant.parse("2030-01-02T03:04:05.123456789Z")));
        for (Notice notice : notices) {
            PostedNotice decoded = PostedNotice.decode(new PostedNotice("node-a", notice).encode());
            assertThat(decoded).isEqualTo(new PostedNotice("node-a", notice));
        }
    }

    @Test
    void aNoticeOfAnotherVersionIsRefusedNotMisread() {
        byte[] bytes = new PostedNotice("node-a", new Notice.RoomDeleted("r1")).encode();
        bytes[0] = 2;

        assertThatThrownBy(() -> PostedNotice.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("notice version 2, this node reads 1");
    }

    @Test
    void aKindThisNodeDoesNotKnowIsRefusedWithItsOrigin() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF("newer-node");
            out.writeByte(99);
            out.writeUTF("whatever comes next");
        }

        assertThatThrownBy(() -> PostedNotice.decode(bytes.toByteArray())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("notice kind 99 (from node newer-node) is unknown to this node");
    }

    @Test
    void bytesThatAreNoNoticeAreRefused() {
        assertThatThrownBy(() -> PostedNotice.decode(new byte[]{1, 0})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a notice");
    }
}
