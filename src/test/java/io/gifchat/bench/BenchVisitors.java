package io.gifchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmarks do over HTTP as a browser would: become a visitor, create a room. */
final class BenchVisitors {

    private static final Pattern SESSION = Pattern.compile("SESSION=([^;]+)");
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    /** A visitor: its session cookie and CSRF token. */
    record Visitor(String session, String csrf) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    BenchVisitors(int port) {
        this.port = port;
    }

    HttpClient http() {
        return http;
    }

    /** A new visitor: the lobby page gives it a session (and so an identity) and a CSRF token. */
    Visitor visit() throws IOException, InterruptedException {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher cookie = SESSION.matcher(String.join(";", page.headers().allValues("set-cookie")));
        Matcher csrf = CSRF.matcher(page.body());
        if (!cookie.find() || !csrf.find()) {
            throw new IllegalStateException("no session or CSRF token on the lobby page");
        }
        return new Visitor(cookie.group(1), csrf.group(1));
    }

    /** Creates a room owned by {@code owner} and returns its id. */
    String createRoom(Visitor owner, String title, int max) throws IOException, InterruptedException {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/rooms"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Cookie", "SESSION=" + owner.session()).header("X-CSRF-TOKEN", owner.csrf())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\",\"max\":" + max + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = ID.matcher(created.body());
        if (created.statusCode() != 201 || !id.find()) {
            throw new IllegalStateException("room not created: " + created.statusCode() + " " + created.body());
        }
        return id.group(1);
    }

    /** The HTTP status of {@code GET /api/rooms/{id}}: 200 while the room exists, 404 once it is deleted. */
    int roomStatus(Visitor visitor, String roomId) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/rooms/" + roomId))
                        .timeout(Duration.ofSeconds(30)).header("Cookie", "SESSION=" + visitor.session()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
