package io.gifchat.room;

import java.nio.charset.StandardCharsets;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** BCrypt, deliberately slow, so it runs on boundedElastic and never on an event loop. */
@Component
class RoomPasswords {

    private final PasswordEncoder encoder;

    RoomPasswords(PasswordEncoder encoder) {
        this.encoder = encoder;
    }

    Mono<String> hash(String password) {
        return Mono.fromCallable(() -> encoder.encode(password)).subscribeOn(Schedulers.boundedElastic());
    }

    Mono<Boolean> matches(String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > NewRoom.PASSWORD_MAX_BYTES) {
            return Mono.just(false);
        }
        return Mono.fromCallable(() -> encoder.matches(password, hash)).subscribeOn(Schedulers.boundedElastic());
    }
}
