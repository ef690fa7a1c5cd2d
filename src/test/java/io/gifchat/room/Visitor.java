package io.gifchat.room;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/** A browser session as the tests see it: the SESSION cookie, the page's CSRF token and the identity it shows. */
public record Visitor(WebTestClient web, String cookie, String csrf, String name) {

    private static final Pattern TOKEN = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final Pattern NAME = Pattern.compile("class=\"nickname\"[^>]*data-color=\"#[0-9a-f]{6}\"[^>]*>([^<]+)<");

    public static Visitor arrive(int port) {
        WebTestClient web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
        var page = web.get().uri("/").exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        String html = page.getResponseBody();
        Matcher token = TOKEN.matcher(html);
        Matcher name = NAME.matcher(html);
        assertThat(token.find()).as("csrf meta").isTrue();
        assertThat(name.find()).as("nickname").isTrue();
        return new Visitor(web, page.getResponseCookies().getFirst("SESSION").getValue(), token.group(1), name.group(1));
    }

    public HttpHeaders cookieHeader() {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.COOKIE, "SESSION=" + cookie);
        return headers;
    }

    public WebTestClient.ResponseSpec post(String uri, Object body) {
        return web.post().uri(uri).cookie("SESSION", cookie).header("X-CSRF-TOKEN", csrf)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body == null ? Map.of() : body).exchange();
    }

    public WebTestClient.ResponseSpec delete(String uri) {
        return web.delete().uri(uri).cookie("SESSION", cookie).header("X-CSRF-TOKEN", csrf).exchange();
    }

    public WebTestClient.ResponseSpec get(String uri) {
        return web.get().uri(uri).cookie("SESSION", cookie).exchange();
    }

    /** Uploads {@code bytes} as the room's GIF form does (field {@code gif}), with or without the CSRF token. */
    public WebTestClient.ResponseSpec uploadGif(String roomId, String filename, byte[] bytes, boolean withCsrf) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("gif", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return filename;
            }
        }).contentType(MediaType.IMAGE_GIF);
        var request = web.post().uri("/room/" + roomId + "/gif").cookie("SESSION", cookie);
        if (withCsrf) {
            request = request.header("X-CSRF-TOKEN", csrf);
        }
        return request.body(BodyInserters.fromMultipartData(body.build())).exchange();
    }

    /** Creates a room through the JSON API and returns its id. */
    public String createRoom(String title, int max, String password) {
        Map<String, Object> body = password == null ? Map.of("title", title, "max", max)
                : Map.of("title", title, "max", max, "password", password);
        Map<?, ?> room = post("/api/rooms", body).expectStatus().isCreated().expectBody(Map.class).returnResult()
                .getResponseBody();
        return (String) room.get("id");
    }
}
