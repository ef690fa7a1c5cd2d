package io.gifchat.chat;

import org.springframework.data.domain.Pageable;
import org.springframework.data.mongodb.repository.ReactiveMongoRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

public interface ChatRepository extends ReactiveMongoRepository<Chat, String> {

    Flux<Chat> findByRoomAndSeqLessThanOrderBySeqDesc(String room, long seq, Pageable page);

    Flux<Chat> findByRoomAndSeqGreaterThanOrderBySeqAsc(String room, long seq, Pageable page);

    Mono<Long> deleteByRoom(String room);

    /** The room's last line: where its seq goes on after a restart (or a crash). */
    Mono<Chat> findFirstByRoomOrderBySeqDesc(String room);
}
