package io.gifchat;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class GifChatApplication {

    /**
     * The one clock behind every time decision (timestamps, ban expiry, empty-room grace, session sweeping), so
     * tests move time instead of sleeping. Connection timers (heart-beats) measure intervals with
     * {@link System#nanoTime()} instead: they need a monotonic clock, not the time of day.
     */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    public static void main(String[] args) {
        SpringApplication.run(GifChatApplication.class, args);
    }
}
