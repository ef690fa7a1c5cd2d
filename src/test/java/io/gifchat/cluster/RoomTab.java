package io.gifchat.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.gifchat.messaging.StompProtocolTest.header;

/**
 * One browser tab of a visitor on one node, as the room page uses STOMP: its error and whisper queues, the room's
 * topic. Every frame it reads is kept: the room's lines (anything on the room's topic with a {@code seq}) in
 * {@link #lines}, in the order they arrived, and the rest for {@link #take}. A refusal (ERROR, or a notice on
 * {@code /user/queue/errors}) that nobody waits for fails the test at once, with the frame.
 */
final class RoomTab implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final NodeProcess node;
    final Visitor visitor;
    final RawStompClient client;
    /** The room's lines as they arrived: chat, gif and system lines, each with its seq. */
    final List<JsonNode> lines = new ArrayList<>();
    private final List<String> unread = new ArrayList<>();
    private String roomId;

    private RoomTab(NodeProcess node, Visitor visitor) {
        this.node = node;
        this.visitor = visitor;
        this.client = node.connect(visitor);
    }

    /** Connected and in the room (its queues and the room's topic subscribed, RECEIPT received). */
    static RoomTab enter(NodeProcess node, Visitor visitor, String roomId) {
        RoomTab tab = new RoomTab(node, visitor);
        tab.enter(roomId);
        return tab;
    }

    /** The identity id the server gave this tab's visitor. */
    String identity() {
        return header(client.connectedFrame(), "user-id");
    }

    private RoomTab enter(String roomId) {
        this.roomId = roomId;
        client.send("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
                + "SUBSCRIBE\nid:whisper\ndestination:/user/queue/whisper\n\n\0"
                + "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        receipt("in");
        return this;
    }

    /** SUBSCRIBE {@code destination} and wait for its RECEIPT. */
    void subscribe(String id, String destination) {
        client.send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\nreceipt:sub-" + id + "\n\n\0");
        receipt("sub-" + id);
    }

    /** Sends a chat line with a fresh clientId and a receipt; returns the clientId. */
    String say(String text, String receipt) {
        String clientId = UUID.randomUUID().toString();
        send(text, clientId, receipt);
        return clientId;
    }

    /**
     * As the page's outbox does: sends the line and, while the answer is "try again" (a BUSY refusal: the room's log
     * is busy, or lost the seq to other nodes' writes too often), sends it again with the same clientId, so it is
     * stored once however often it is sent. Returns how many sends it took; fails past {@code most}.
     */
    int sayUntilStored(String text, String clientId, int most) {
        for (int sends = 1; ; sends++) {
            String receipt = "r-" + UUID.randomUUID();
            send(text, clientId, receipt);
            String answer = take(frame -> frame.startsWith("RECEIPT") && receipt.equals(header(frame, "receipt-id"))
                    || isTryAgain(frame, clientId), WAIT);
            if (answer.startsWith("RECEIPT")) {
                return sends;
            }
            if (sends == most) {
                throw new AssertionError(this + ": \"" + text + "\" refused " + most + " times: " + answer);
            }
        }
    }

    private static boolean isTryAgain(String frame, String clientId) {
        if (!"/user/queue/errors".equals(header(frame, "destination"))) {
            return false;
        }
        JsonNode notice = body(frame);
        return clientId.equals(notice.path("clientId").asString("")) && notice.path("message").asString("").contains("try again");
    }

    private void send(String text, String clientId, String receipt) {
        client.send("SEND\ndestination:/app/chat/" + roomId + "\ncontent-type:application/json\nreceipt:" + receipt
                + "\n\n{\"chat\":\"" + text + "\",\"clientId\":\"" + clientId + "\"}\0");
    }

    /** Sends a chat line and waits for its RECEIPT; returns the clientId. */
    String sayReceipted(String text) {
        String receipt = "r-" + UUID.randomUUID();
        String clientId = say(text, receipt);
        receipt(receipt);
        return clientId;
    }

    void whisper(String toIdentity, String text) {
        client.send("SEND\ndestination:/app/chat/" + roomId + "/whisper\ncontent-type:application/json\nreceipt:w\n\n"
                + "{\"to\":\"" + toIdentity + "\",\"chat\":\"" + text + "\"}\0");
        receipt("w");
    }

    void typing() {
        client.send("SEND\ndestination:/topic/chat/" + roomId + "/typing\ncontent-type:application/json\n\n{}\0");
    }

    void receipt(String id) {
        take(frame -> frame.startsWith("RECEIPT") && id.equals(header(frame, "receipt-id")), WAIT);
    }

    /** The first frame, read before or now, that matches and nobody took yet; fails after {@code timeout}. */
    String take(Predicate<String> match, Duration timeout) {
        String found = takeRead(match);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (found == null) {
            long left = deadline - System.nanoTime();
            String frame = left > 0 ? read(Duration.ofNanos(left)) : null;
            if (frame == null) {
                throw new AssertionError(this + ": no matching frame within " + timeout + "; unread: " + unread
                        + "; node log tail:\n" + node.tail());
            }
            found = takeRead(match);
        }
        return found;
    }

    /** Whether a matching frame arrives within {@code timeout} (for what must not come: a short look). */
    boolean gets(Predicate<String> match, Duration timeout) {
        if (takeRead(match) != null) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            if (read(Duration.ofNanos(left)) == null) {
                return false;
            }
            if (takeRead(match) != null) {
                return true;
            }
        }
        return false;
    }

    /** Until the room's lines hold one that matches; fails after {@code timeout}. Returns it. */
    JsonNode awaitLine(Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int seen = 0; ; ) {
            for (; seen < lines.size(); seen++) {
                if (match.test(lines.get(seen))) {
                    return lines.get(seen);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || read(Duration.ofNanos(left)) == null) {
                throw new AssertionError(this + ": no matching line within " + timeout + "; lines: " + lines
                        + "; node log tail:\n" + node.tail());
            }
        }
    }

    /** Whether a line that matches is among the room's lines now or arrives within {@code timeout}. */
    boolean getsLine(Predicate<JsonNode> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int seen = 0; ; ) {
            for (; seen < lines.size(); seen++) {
                if (match.test(lines.get(seen))) {
                    return true;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || read(Duration.ofNanos(left)) == null) {
                return false;
            }
        }
    }

    static Predicate<JsonNode> chat(String text) {
        return line -> text.equals(line.path("chat").asString(""));
    }

    /** The chat line with this text, once it arrived. */
    JsonNode awaitChat(String text, Duration timeout) {
        return awaitLine(chat(text), timeout);
    }

    /** Everything that arrives within {@code duration} is read (and kept). */
    void drain(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            if (read(Duration.ofNanos(left)) == null) {
                return;
            }
        }
    }

    List<Long> seqs() {
        return lines.stream().map(line -> line.get("seq").asLong()).toList();
    }

    static JsonNode body(String frame) {
        return JSON.readTree(frame.substring(frame.indexOf("\n\n") + 2));
    }

    private String read(Duration timeout) {
        String frame = client.next(timeout);
        if (frame == null) {
            return null;
        }
        if (frame.startsWith("MESSAGE") && roomId != null && ("/topic/chat/" + roomId).equals(header(frame, "destination"))) {
            JsonNode event = body(frame);
            if (event.has("seq")) {
                lines.add(event);
                return frame;
            }
        }
        unread.add(frame);
        return frame;
    }

    private String takeRead(Predicate<String> match) {
        for (Iterator<String> it = unread.iterator(); it.hasNext(); ) {
            String frame = it.next();
            if (match.test(frame)) {
                it.remove();
                return frame;
            }
            if (frame.startsWith("ERROR") || "/user/queue/errors".equals(header(frame, "destination"))) {
                throw new AssertionError(this + " was refused: " + frame);
            }
        }
        return null;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "tab of " + visitor.name() + " on " + node;
    }
}
