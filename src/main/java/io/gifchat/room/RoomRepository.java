package io.gifchat.room;

import org.springframework.data.mongodb.repository.ReactiveMongoRepository;
import reactor.core.publisher.Flux;

public interface RoomRepository extends ReactiveMongoRepository<Room, String> {

    Flux<Room> findAllByOrderByCreatedAtDesc();
}
