package io.gifchat.web;

import java.time.Duration;

import io.gifchat.room.Visitor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures as the asker can read them: a browser opening an address gets a page (status, a sentence, a way back to
 * the lobby); scripts, API clients and everything under {@code /api/} get the ProblemDetail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.admin.password=error-pages-pw", "gifchat.limits.admin-logins=1/1m"})
class ErrorPagesTest {

    /** What Chromium sends when it opens an address. */
    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
            + "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    @LocalServerPort
    int port;

    WebTestClient web() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void aBrowserOpeningAnUnknownAddressGetsTheErrorPageWith404() {
        for (String path : new String[] {"/no/such/page", "/room/", "/room/x/y/z"}) {
            var page = web().get().uri(path).header(HttpHeaders.ACCEPT, BROWSER).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectHeader().valueMatches("Content-Security-Policy", ".*script-src 'self'.*")
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(page).as(path).contains("<title>Page not found · gif-chat</title>")
                    .contains("<h1 id=\"error-title\">Page not found</h1>")
                    .contains("There is no page at this address.")
                    .contains("<a class=\"primary button\" href=\"/\">Back to rooms</a>")
                    .doesNotContain("No static resource");
        }
    }

    @Test
    void scriptsAndApiClientsKeepTheProblemDetailForAnUnknownAddress() {
        for (String accept : new String[] {"application/json", "*/*", "application/problem+json", null,
                "text/html;q=0.5, application/json"}) {
            var request = web().get().uri("/no/such/page");
            if (accept != null) {
                request = request.header(HttpHeaders.ACCEPT, accept);
            }
            request.exchange().expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(404)
                    .jsonPath("$.title").isEqualTo("Not Found")
                    .jsonPath("$.detail").isEqualTo("No static resource no/such/page.")
                    .jsonPath("$.instance").isEqualTo("/no/such/page");
        }
        web().get().uri("/api/no-such-thing").header(HttpHeaders.ACCEPT, BROWSER).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
        web().get().uri("/api/rooms/no-such-room").header(HttpHeaders.ACCEPT, BROWSER).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("No such room.");
    }

    @Test
    void aRefusedPagePostShowsTheRefusalsMessageAsAPageToABrowserAndAsAProblemToHtmx() {
        Visitor visitor = Visitor.arrive(port);
        var form = BodyInserters.fromFormData("_csrf", visitor.csrf()).with("title", "Key too long")
                .with("idempotencyKey", "x".repeat(200));

        String page = visitor.web().post().uri("/rooms").cookie("SESSION", visitor.cookie())
                .header(HttpHeaders.ACCEPT, BROWSER).body(form).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("Error 400").contains("The idempotency key must be 1 to 128 visible ASCII characters.")
                .contains("href=\"/\"");

        visitor.web().post().uri("/rooms").cookie("SESSION", visitor.cookie()).header("HX-Request", "true")
                .header("X-CSRF-TOKEN", visitor.csrf()).header(HttpHeaders.ACCEPT, "*/*")
                .body(BodyInserters.fromFormData("title", "Key too long").with("idempotencyKey", "x".repeat(200)))
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("The idempotency key must be 1 to 128 visible ASCII characters.");
    }

    @Test
    void aSpentLoginBudgetIsAPageForTheLoginFormAndAProblemForOtherClients() {
        WebTestClient web = web();
        var login = web.get().uri("/login").exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        String cookie = login.getResponseCookies().getFirst("SESSION").getValue();
        var token = java.util.regex.Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"")
                .matcher(login.getResponseBody());
        assertThat(token.find()).isTrue();
        var form = BodyInserters.fromFormData("username", "admin").with("password", "wrong").with("_csrf", token.group(1));

        web.post().uri("/login").cookie("SESSION", cookie).header(HttpHeaders.ACCEPT, BROWSER).body(form).exchange()
                .expectStatus().is3xxRedirection(); // the one try of the budget: wrong password, back to the form
        String page = web.post().uri("/login").cookie("SESSION", cookie).header(HttpHeaders.ACCEPT, BROWSER)
                .body(form).exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("Error 429").contains("Too many login attempts; wait a minute.");

        web.post().uri("/login").cookie("SESSION", cookie).header(HttpHeaders.ACCEPT, "application/json").body(form)
                .exchange().expectStatus().isEqualTo(429)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("Too many login attempts; wait a minute.");
    }

    @Test
    void theLoginPageSaysWrongPasswordOrLoggedOutOnlyWhenThatHappened() {
        String first = web().get().uri("/login").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(first).doesNotContain("Wrong user name or password.").doesNotContain("You are logged out.");

        String failed = web().get().uri("/login?error").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(failed).contains("Wrong user name or password.").doesNotContain("You are logged out.");

        String loggedOut = web().get().uri("/login?logout").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(loggedOut).contains("You are logged out.").doesNotContain("Wrong user name or password.");
    }
}
