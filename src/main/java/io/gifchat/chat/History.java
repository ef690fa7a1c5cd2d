package io.gifchat.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** A room's stored lines, oldest first, as they go on the wire: the last ones, a page before a seq, or after one. */
@Component
public class History {

    /** The largest page the history API gives. */
    public static final int MAX_PAGE = 200;

    private final ChatRepository chats;

    History(ChatRepository chats) {
        this.chats = chats;
    }

    /** The last {@code count} lines. */
    public Mono<List<ChatLine>> last(String roomId, int count) {
        return before(roomId, Long.MAX_VALUE, count);
    }

    Mono<List<ChatLine>> before(String roomId, long seq, int count) {
        return chats.findByRoomAndSeqLessThanOrderBySeqDesc(roomId, seq, PageRequest.of(0, count))
                .map(ChatLine::of).collectList().map(History::oldestFirst);
    }

    Mono<List<ChatLine>> after(String roomId, long seq, int count) {
        return chats.findByRoomAndSeqGreaterThanOrderBySeqAsc(roomId, seq, PageRequest.of(0, count))
                .map(ChatLine::of).collectList();
    }

    private static <T> List<T> oldestFirst(List<T> newestFirst) {
        List<T> list = new ArrayList<>(newestFirst);
        Collections.reverse(list);
        return list;
    }
}
