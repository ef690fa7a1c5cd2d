package io.gifchat.gif;

import java.security.SecureRandom;
import java.util.Base64;

import org.bson.Document;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.gridfs.ReactiveGridFsResource;
import org.springframework.data.mongodb.gridfs.ReactiveGridFsTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * GIFs in GridFS, each under a random 128-bit id (its GridFS filename): the uploader's filename is never used for
 * storing or serving, and ids cannot be guessed. Metadata records the room, so deleting a room deletes its GIFs.
 */
@Component
class GifStore {

    private final ReactiveGridFsTemplate gridFs;
    private final SecureRandom random = new SecureRandom();

    GifStore(ReactiveGridFsTemplate gridFs) {
        this.gridFs = gridFs;
    }

    /** @return the new GIF's id */
    Mono<String> store(byte[] gif, String roomId, String uploaderId) {
        String id = newId();
        Flux<DataBuffer> content = Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(gif));
        Document metadata = new Document("room", roomId).append("uploader", uploaderId);
        return gridFs.store(content, id, "image/gif", metadata).thenReturn(id);
    }

    Mono<ReactiveGridFsResource> find(String id) {
        return gridFs.findOne(byId(id)).flatMap(gridFs::getResource);
    }

    Mono<Void> delete(String id) {
        return gridFs.delete(byId(id));
    }

    Mono<Void> deleteRoom(String roomId) {
        return gridFs.delete(Query.query(Criteria.where("metadata.room").is(roomId)));
    }

    Mono<Long> count() {
        return gridFs.find(new Query()).count();
    }

    private static Query byId(String id) {
        return Query.query(Criteria.where("filename").is(id));
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean isWellFormedId(String id) {
        return id.length() == 22 && id.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

}
