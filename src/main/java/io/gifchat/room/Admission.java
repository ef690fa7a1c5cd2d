package io.gifchat.room;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** An identity that gave a locked room's password (or created the room). Stored so it survives restarts. */
@Document("admissions")
record Admission(@Id String id, String room, String identity, Instant createdAt) {

    static String id(String room, String identity) {
        return room + "/" + identity;
    }
}
