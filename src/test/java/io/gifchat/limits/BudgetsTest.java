package io.gifchat.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.gifchat.MovableClock;
import io.gifchat.domain.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The budgets' machinery without a server: rates as written in the configuration, buckets, bounds, the BCrypt pool. */
class BudgetsTest {

    /** The properties as Boot binds them, defaults included, with {@code overrides} under {@code gifchat.limits}. */
    static LimitsProperties limits(Map<String, String> overrides) {
        ApplicationConversionService conversion = new ApplicationConversionService();
        conversion.addConverter(new RateConverter());
        var source = new MapConfigurationPropertySource();
        overrides.forEach((key, value) -> source.put("gifchat.limits." + key, value));
        return new Binder(java.util.List.of(source), null, conversion)
                .bindOrCreate("gifchat.limits", LimitsProperties.class);
    }

    /** Spends as a caller does, subscribing; a refusal is thrown here. */
    static void spend(Budgets budgets, Budget budget, String key, long amount) {
        budgets.spend(budget, key, amount).block(Duration.ofSeconds(5));
    }

    static void spend(Budgets budgets, Budget budget, String key) {
        spend(budgets, budget, key, 1);
    }

    @ParameterizedTest
    @CsvSource({"20/1m, 20, PT1M", "50MB/10m, 52428800, PT10M", "3000B/1h, 3000, PT1H", "5/PT30S, 5, PT30S",
            "1 / 2s, 1, PT2S"})
    void ratesAreWrittenAsAmountSlashPeriod(String text, long amount, Duration per) {
        assertThat(Rate.parse(text)).isEqualTo(new Rate(amount, per));
    }

    @ParameterizedTest
    @ValueSource(strings = {"20", "/1m", "20/", "0/1m", "20/0s", "-1/1m", "lots/1m", "20/soon"})
    void aRateThatIsNotOneIsRefusedAtStartUpWithTheReason(String text) {
        assertThatThrownBy(() -> Rate.parse(text)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void theDefaultsBindAndEveryBudgetHasARateAndAMessage() {
        LimitsProperties defaults = limits(Map.of());

        assertThat(defaults.enabled()).isTrue();
        for (Budget budget : Budget.values()) {
            assertThat(budget.rate(defaults)).as(budget.name()).isNotNull();
            assertThat(budget.message()).as(budget.name()).endsWith(".");
        }
    }

    @Test
    void aSpentBudgetIsATooManyRefusalSayingWhenToComeBackAndItRefillsWithTheClock() {
        MovableClock clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
        Budgets budgets = new Budgets(limits(Map.of("rooms", "2/10m")), BucketStore.inMemory(clock));

        spend(budgets, Budget.ROOMS, "alice");
        spend(budgets, Budget.ROOMS, "alice");
        assertThatThrownBy(() -> spend(budgets, Budget.ROOMS, "alice"))
                .isInstanceOfSatisfying(Refusal.class, refusal -> {
                    assertThat(refusal.reason()).isEqualTo(Refusal.Reason.TOO_MANY);
                    assertThat(refusal.getMessage()).isEqualTo(Budget.ROOMS.message());
                    assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMinutes(5));
                });
        spend(budgets, Budget.ROOMS, "bob"); // budgets are per key

        clock.advance(Duration.ofMinutes(5));
        spend(budgets, Budget.ROOMS, "alice");
    }

    @Test
    void moreThanAWholeBucketIsRefusedWithTheFullRefillAsTheWait() {
        Budgets budgets = new Budgets(limits(Map.of("gif-bytes", "1KB/10m")), BucketStore.inMemory(Clock.systemUTC()));

        assertThatThrownBy(() -> spend(budgets, Budget.GIF_BYTES, "alice", 2048))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofMinutes(10)));
    }

    @Test
    void aFloodOfNewKeysKeepsEachBudgetsMapBounded() {
        Budgets budgets = new Budgets(limits(Map.of("tracked-keys", "100")), BucketStore.inMemory(Clock.systemUTC()));

        for (int i = 0; i < 10_000; i++) {
            spend(budgets, Budget.HANDSHAKES, "203.0.113." + i);
        }

        assertThat(budgets.tracked(Budget.HANDSHAKES)).isLessThanOrEqualTo(100);
    }

    @Test
    void switchedOffNothingIsEverRefused() {
        Budgets budgets = new Budgets(limits(Map.of("enabled", "false", "frames", "1/1h")), BucketStore.inMemory(Clock.systemUTC()));
        Allowance frames = budgets.allowance(Budget.FRAMES);

        for (int i = 0; i < 1000; i++) {
            spend(budgets, Budget.ROOMS, "alice");
            assertThat(frames.trySpend()).isTrue();
        }
        assertThat(budgets.tracked(Budget.ROOMS)).isZero();
    }

    @Test
    void aConnectionsAllowanceIsItsOwn() {
        Budgets budgets = new Budgets(limits(Map.of("frames", "2/1h")), BucketStore.inMemory(Clock.systemUTC()));
        Allowance one = budgets.allowance(Budget.FRAMES);
        Allowance two = budgets.allowance(Budget.FRAMES);

        assertThat(one.trySpend()).isTrue();
        assertThat(one.trySpend()).isTrue();
        assertThat(one.trySpend()).isFalse();
        assertThat(two.trySpend()).isTrue();
    }

    @Test
    void aFullHashingPoolRefusesAtOnceInsteadOfQueueingBehindTheFlood() throws Exception {
        Hashing hashing = new Hashing(limits(Map.of("hashing-threads", "1", "hashing-queue", "1")));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        try {
            Mono<Boolean> busy = hashing.run(() -> {
                running.countDown();
                return release.await(10, TimeUnit.SECONDS);
            });
            var first = busy.toFuture();
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            var queued = hashing.run(() -> true).toFuture();

            StepVerifier.create(hashing.run(() -> true))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(Refusal.class, r -> {
                        assertThat(r.reason()).isEqualTo(Refusal.Reason.TOO_MANY);
                        assertThat(r.getMessage()).isEqualTo("The server is busy checking passwords; try again in a moment.");
                    }))
                    .verify(Duration.ofSeconds(5));

            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(queued.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
            hashing.destroy();
        }
    }

    @Test
    void ipv6ClientsAreKeyedByTheirSlash64AndIpv4ByTheirAddress() throws Exception {
        var a = new java.net.InetSocketAddress(java.net.InetAddress.getByName("2001:db8:1:2:aaaa::1"), 1);
        var b = new java.net.InetSocketAddress(java.net.InetAddress.getByName("2001:db8:1:2:bbbb::9"), 2);
        var c = new java.net.InetSocketAddress(java.net.InetAddress.getByName("2001:db8:1:3::1"), 3);

        assertThat(ClientAddress.key(a)).isEqualTo(ClientAddress.key(b)).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.key(c)).isNotEqualTo(ClientAddress.key(a));
        assertThat(ClientAddress.key(new java.net.InetSocketAddress(java.net.InetAddress.getByName("203.0.113.7"), 4)))
                .isEqualTo("203.0.113.7");
    }
}
