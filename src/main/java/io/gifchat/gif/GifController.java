package io.gifchat.gif;

import java.time.Clock;
import java.time.Duration;

import io.gifchat.chat.Chat;
import io.gifchat.chat.RoomLog;
import io.gifchat.domain.Refusal;
import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import io.gifchat.identity.Identities;
import io.gifchat.identity.Identity;
import io.gifchat.room.Presence;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.Part;
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

    /** The answer to an upload: the GIF's URL and the seq of the line that shows it. */
    record Posted(String gif, long seq) {
    }

    private final GifStore store;
    private final RoomLog log;
    private final Presence presence;
    private final Identities identities;
    private final GifProperties properties;
    private final GifLimits limits;
    private final Clock clock;
    private final Budgets budgets;

    GifController(GifStore store, RoomLog log, Presence presence, Identities identities, GifProperties properties,
                  Clock clock, Budgets budgets) {
        this.budgets = budgets;
        this.store = store;
        this.log = log;
        this.presence = presence;
        this.identities = identities;
        this.properties = properties;
        this.clock = clock;
        this.limits = new GifLimits(properties.maxSide(), properties.maxFrames(), properties.maxTotalPixels());
    }

    @PostMapping(path = "/room/{roomId}/gif", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<Posted>> upload(@PathVariable String roomId, ServerWebExchange exchange) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > properties.maxSize().toBytes() + 16 * 1024) {
            return Mono.error(tooLarge());
        }
        return identities.of(exchange).flatMap(me -> presence.requireMember(roomId, me.id()).then(Mono.defer(() -> {
            budgets.spend(Budget.GIF_UPLOADS, me.id());
            return exchange.getMultipartData()
                    .flatMap(parts -> Mono.justOrEmpty(parts.getFirst("gif")))
                    .switchIfEmpty(Mono.error(() -> Refusal.of(Refusal.Reason.INVALID, "Choose a GIF to upload (field \"gif\").")))
                    .flatMap(this::read)
                    .flatMap(bytes -> {
                        try {
                            GifValidator.validate(bytes, limits);
                        } catch (GifRejected e) {
                            return Mono.error(Refusal.of(Refusal.Reason.INVALID, e.getMessage()));
                        }
                        // Bytes are counted once known and valid: a refused file spends only the upload count.
                        budgets.spend(Budget.GIF_BYTES, me.id(), bytes.length);
                        budgets.spend(Budget.GIF_BYTES_PER_ROOM, roomId, bytes.length);
                        return store.store(bytes, roomId, me.id());
                    })
                    .flatMap(id -> announce(roomId, me, id));
        })));
    }

    private Mono<byte[]> read(Part part) {
        if (!(part instanceof FilePart)) {
            return Mono.error(Refusal.of(Refusal.Reason.INVALID, "The \"gif\" field must be a file."));
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

    /**
     * A GIF whose room was deleted meanwhile is removed again (the room's cleanup has run already). Other refusals
     * leave it: its line may have been stored after all (a store that answered late), and the room's GIFs go with
     * the room in any case.
     */
    private Mono<ResponseEntity<Posted>> announce(String roomId, Identity me, String id) {
        return log.append(roomId, seq -> Chat.gif(roomId, seq, me, "/gif/" + id, clock.instant()))
                .onErrorResume(e -> e instanceof Refusal refusal && refusal.reason() == Refusal.Reason.GONE,
                        e -> store.delete(id).then(Mono.error(e)))
                .map(chat -> ResponseEntity.status(HttpStatus.CREATED).body(new Posted(chat.gif(), chat.seq())));
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
        return Refusal.of(Refusal.Reason.TOO_LARGE,
                "The GIF is larger than " + properties.maxSize().toMegabytes() + " MB.");
    }
}
