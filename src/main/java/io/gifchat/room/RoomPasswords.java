package io.gifchat.room;

import java.nio.charset.StandardCharsets;

import io.gifchat.limits.Hashing;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * BCrypt, deliberately slow, so it runs on its own bounded pool ({@link Hashing}), never on an event loop nor where
 * it could delay the store's work.
 */
@Component
class RoomPasswords {

    private final PasswordEncoder encoder;
    private final Hashing hashing;

    RoomPasswords(PasswordEncoder encoder, Hashing hashing) {
        this.encoder = encoder;
        this.hashing = hashing;
    }

    Mono<String> hash(String password) {
        return hashing.run(() -> encoder.encode(password));
    }

    Mono<Boolean> matches(String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > NewRoom.PASSWORD_MAX_BYTES) {
            return Mono.just(false);
        }
        return hashing.run(() -> encoder.matches(password, hash));
    }
}
