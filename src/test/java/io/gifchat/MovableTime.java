package io.gifchat;

import java.time.Instant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * {@code @Import(MovableTime.class)} puts a {@link MovableClock} in place of the app's one clock, starting at
 * 2026-12-01T12:00:00Z, for tests that move time instead of waiting (timers, graces, budgets).
 */
@TestConfiguration(proxyBeanMethods = false)
public class MovableTime {

    @Bean
    @Primary
    MovableClock movableClock() {
        return new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
    }
}
