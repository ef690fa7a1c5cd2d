package io.gifchat.gif;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.gifchat.chat.Chat;
import io.gifchat.chat.RoomLog;
import io.gifchat.identity.Identities;
import io.gifchat.identity.Identity;
import io.gifchat.room.Presence;
import io.gifchat.web.Refusal;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Upload: members only; the size is capped while reading; the file is parsed as a GIF (structure only, no pixel
 * decoding) before anything is stored; then stored under a random id and announced as a chat line.
 * Serving: {@code image/gif}, never sniffed, sandboxed, cached forever (ids are never reused).
 */
@RestController
class GifController {

    private final GifStore store;
    private final RoomLog log;
    private final Presence presence;
    private final Identities identities;
    private final GifProperties properties;
    private final GifLimits limits;

    GifController(GifStore store, RoomLog log, Presence presence, Identities identities, GifProperties properties) {
        this.store = store;
        this.log = log;
        this.presence = presence;
        this.identities = identities;
        this.properties = properties;
        this.limits = new GifLimits(properties.maxSide(), properties.maxFrames(), properties.maxTotalPixels());
    }

    @PostMapping(path = "/room/{roomId}/gif", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> upload(@PathVariable String roomId, ServerWebExchange exchange) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > properties.maxSize().toBytes() + 16 * 1024) {
            return Mono.error(tooLarge());
        }
        return identities.of(exchange).flatMap(me -> {
            if (!presence.isPresent(roomId, me.id())) {
                return Mono.error(new Refusal(HttpStatus.FORBIDDEN, "Only members of the room can post GIFs."));
            }
            return exchange.getMultipartData()
                    .flatMap(parts -> Mono.justOrEmpty(parts.getFirst("gif")))
                    .switchIfEmpty(Mono.error(new Refusal(HttpStatus.BAD_REQUEST, "Choose a GIF to upload (field \"gif\").")))
                    .flatMap(this::read)
                    .flatMap(bytes -> {
                        GifValidator.validate(bytes, limits);
                        return store.store(bytes, roomId, me.id());
                    })
                    .flatMap(id -> announce(roomId, me, id));
        });
    }

    private Mono<byte[]> read(Part part) {
        if (!(part instanceof FilePart)) {
            return Mono.error(new Refusal(HttpStatus.BAD_REQUEST, "The \"gif\" field must be a file."));
        }
        return DataBufferUtils.join(part.content(), (int) properties.maxSize().toBytes())
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge());
    }

    private Mono<ResponseEntity<Map<String, Object>>> announce(String roomId, Identity me, String id) {
        return log.append(roomId, seq -> new Chat(null, roomId, seq, me, Chat.Type.gif, null, "/gif/" + id, null,
                        null, Instant.now()))
                .map(chat -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(Map.<String, Object>of("gif", chat.gif(), "seq", chat.seq())));
    }

    @GetMapping("/gif/{id}")
    Mono<ResponseEntity<Flux<org.springframework.core.io.buffer.DataBuffer>>> serve(@PathVariable String id) {
        if (!GifStore.isWellFormedId(id)) {
            return Mono.just(ResponseEntity.notFound().build());
        }
        return store.find(id)
                .map(resource -> ResponseEntity.ok()
                        .contentType(MediaType.IMAGE_GIF)
                        .cacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable())
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Content-Security-Policy", "sandbox")
                        .header(HttpHeaders.CONTENT_DISPOSITION, "inline")
                        .body(resource.getDownloadStream()))
                .defaultIfEmpty(ResponseEntity.notFound().build());
    }

    private Refusal tooLarge() {
        return new Refusal(HttpStatus.CONTENT_TOO_LARGE,
                "The GIF is larger than " + properties.maxSize().toMegabytes() + " MB.");
    }

    @ExceptionHandler(GifRejected.class)
    ProblemDetail rejected(GifRejected e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
