package io.gifchat.identity;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class IdentityTest {

    private static final Pattern NICKNAME =
            Pattern.compile("<span class=\"nickname\"[^>]*data-color=\"(#[0-9a-f]{6})\"[^>]*>([^<]+)</span>");

    @Autowired
    WebTestClient web;

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

    @Test
    void colorIsTheColorHashOfTheIdentityIdNotOfTheSession() {
        Identities identities = new Identities(null); // fresh() spends no budget: that is of(exchange)'s
        Identity identity = identities.fresh();

        assertThat(identity.color()).isEqualTo(ColorHash.hex(identity.id()));
        assertThat(identity.id()).isNotEqualTo(identities.fresh().id());
    }
}
