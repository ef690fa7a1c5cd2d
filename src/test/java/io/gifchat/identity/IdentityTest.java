package io.gifchat.identity;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gifchat.limits.Budgets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mongodb.spring.session.MongoSession;
import org.mongodb.spring.session.ReactiveMongoSessionRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class IdentityTest {

    private static final Pattern NICKNAME =
            Pattern.compile("<span class=\"nickname\"[^>]*data-color=\"(#[0-9a-f]{6})\"[^>]*>([^<]+)</span>");

    /** Where Spring Security keeps the CSRF token (WebSessionServerCsrfTokenRepository's default). */
    private static final String CSRF_TOKEN =
            "org.springframework.security.web.server.csrf.WebSessionServerCsrfTokenRepository.CSRF_TOKEN";

    @Autowired
    WebTestClient web;

    /** As in cluster mode, where the new-sessions budget is spent in Redis: the answer comes later, on another thread. */
    @MockitoSpyBean
    Budgets budgets;

    @MockitoSpyBean
    ReactiveMongoSessionRepository sessions;

    @BeforeEach
    void budgetsAnswerLaterOnAnotherThread() {
        doAnswer(spend -> Mono.delay(Duration.ofMillis(20)).then((Mono<?>) spend.callRealMethod()))
                .when(budgets).spend(any(), any());
    }

    record Visit(ResponseCookie cookie, String color, String name) {
    }

    Visit visit(String cookie) {
        var request = web.get().uri("/");
        if (cookie != null) {
            request = request.cookie("SESSION", cookie);
        }
        var result = request.exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        Matcher m = NICKNAME.matcher(result.getResponseBody());
        assertThat(m.find()).as("page shows a colored nickname").isTrue();
        return new Visit(result.getResponseCookies().getFirst("SESSION"), m.group(1), m.group(2));
    }

    @Test
    void firstVisitGetsAColoredNicknameAndAnHttpOnlyLaxSessionCookie() {
        Visit first = visit(null);

        assertThat(first.cookie()).isNotNull();
        assertThat(first.cookie().isHttpOnly()).isTrue();
        assertThat(first.cookie().getSameSite()).isEqualTo("Lax");
        assertThat(first.name()).matches("[A-Z][a-z]+ [A-Z][a-z]+ \\d{1,2}");
    }

    @Test
    void identityIsStableAcrossRequestsWithTheCookie() {
        Visit first = visit(null);

        Visit again = visit(first.cookie().getValue());
        Visit third = visit(first.cookie().getValue());

        assertThat(again.name()).isEqualTo(first.name());
        assertThat(again.color()).isEqualTo(first.color());
        assertThat(third.name()).isEqualTo(first.name());
    }

    @Test
    void identityDiffersWithoutTheCookie() {
        Visit one = visit(null);
        Visit two = visit(null);

        assertThat(two.cookie().getValue()).isNotEqualTo(one.cookie().getValue());
        // Nicknames may collide by chance (1 in ~230,000); the color comes from a random UUID, so compare both.
        assertThat(two.name() + two.color()).isNotEqualTo(one.name() + one.color());
    }

    /**
     * Making the CSRF token stores the session at once (Spring Security renames it, Spring Session saves the rename
     * on another thread). Were the page's identity still being made then, its write into the session could meet the
     * store's reading of it: a ConcurrentModificationException and a 500, now and then, under concurrent first
     * visits. So the token waits for the identity, and every store of a session with a token finds its identity.
     */
    @Test
    void aFirstVisitsSessionIsStoredWithItsTokenOnlyOnceItsIdentityIsMade() {
        List<String> stored = new CopyOnWriteArrayList<>();
        doAnswer(save -> {
            MongoSession session = save.getArgument(0);
            if (session.getAttribute(CSRF_TOKEN) != null) {
                stored.add(session.getAttribute(Identities.ATTRIBUTE) == null ? "token without identity"
                        : "token with identity");
            }
            return save.callRealMethod();
        }).when(sessions).save(any());

        for (int i = 0; i < 5; i++) {
            visit(null);
        }

        assertThat(stored).isNotEmpty().containsOnly("token with identity");
    }

    @Test
    void colorIsTheColorHashOfTheIdentityIdNotOfTheSession() {
        Identities identities = new Identities(null); // fresh() spends no budget: that is of(exchange)'s
        Identity identity = identities.fresh();

        assertThat(identity.color()).isEqualTo(ColorHash.hex(identity.id()));
        assertThat(identity.id()).isNotEqualTo(identities.fresh().id());
    }
}
