package io.gifchat.messaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw client of the fallback carrier for tests: the event stream read line by line as the event-stream grammar
 * says (java.net.http streaming the body), and POSTs of raw bytes with the session cookie and CSRF header.
 */
public final class SseClient implements AutoCloseable {

    /** One event as {@code EventSource} would dispatch it; {@code END} once the stream has ended. */
    public record Event(String type, String data) {
        public static final Event END = new Event("end", "");

        /** The STOMP bytes the event carries (base64 events decoded). */
        public byte[] bytes() {
            return type.equals("base64") ? Base64.getDecoder().decode(data) : data.getBytes(StandardCharsets.UTF_8);
        }

        public String command() {
            String text = new String(bytes(), StandardCharsets.UTF_8);
            return text.substring(0, Math.max(0, text.indexOf('\n')));
        }
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final String cookie;
    private final String csrf;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<java.io.InputStream> response;
    public final String token;

    private SseClient(int port, String cookie, String csrf, String origin) throws Exception {
        this.port = port;
        this.cookie = cookie;
        this.csrf = csrf;
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + EventStreams.PATH))
                .header("Accept", "text/event-stream");
        if (cookie != null) {
            get.header("Cookie", "SESSION=" + cookie);
        }
        if (origin != null) {
            get.header("Origin", origin);
        }
        response = HTTP.sendAsync(get.build(), HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
        if (response.statusCode() != 200) {
            token = null;
            return;
        }
        Thread reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
        Event open = next();
        assertThat(open.type()).isEqualTo("token");
        token = open.data();
    }

    public static SseClient open(int port, String cookie, String csrf) throws Exception {
        return new SseClient(port, cookie, csrf, null);
    }

    static SseClient openFrom(int port, String cookie, String origin) throws Exception {
        return new SseClient(port, cookie, null, origin);
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String type = "";
            StringBuilder data = null;
            String line;
            // readLine splits at CR, LF and CRLF, as the event-stream grammar does
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(type.isEmpty() ? "message" : type, data.toString()));
                    } else if (type.isEmpty()) {
                        events.add(new Event("comment", ""));
                    }
                    type = "";
                    data = null;
                } else if (line.startsWith(":")) {
                    type = "";
                } else if (line.startsWith("event:")) {
                    type = value(line);
                } else if (line.startsWith("data:")) {
                    data = data == null ? new StringBuilder(value(line)) : data.append('\n').append(value(line));
                }
            }
        } catch (IOException e) {
            // the stream was cut: same as its end for the tests
        }
        events.add(Event.END);
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /** The next event that is not a comment, within 10 s. */
    public Event next() throws InterruptedException {
        for (;;) {
            Event event = events.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("an event within 10 s").isNotNull();
            if (!event.type().equals("comment")) {
                return event;
            }
        }
    }

    /** The next event of this STOMP command, skipping heart-beats. */
    public Event next(String command) throws InterruptedException {
        for (;;) {
            Event event = next();
            if (event == Event.END || !event.data().equals("\n")) {
                assertThat(event.command()).as(event.data()).isEqualTo(command);
                return event;
            }
        }
    }

    public HttpResponse<String> post(String body) throws Exception {
        return post(token, body.getBytes(StandardCharsets.UTF_8), cookie, csrf, null);
    }

    /** The same POST sent to the node on {@code otherPort} (in a cluster: forwarded to this stream's node). */
    public HttpResponse<String> postVia(int otherPort, String body) throws Exception {
        return send(otherPort, token, body.getBytes(StandardCharsets.UTF_8), cookie, csrf, null);
    }

    /** A POST as {@link #postVia(int, String)}, of any bytes, for any token, with any cookie and CSRF token. */
    public HttpResponse<String> postVia(int otherPort, String token, byte[] body, String cookie, String csrf)
            throws Exception {
        return send(otherPort, token, body, cookie, csrf, null);
    }

    HttpResponse<String> post(byte[] body) throws Exception {
        return post(token, body, cookie, csrf, null);
    }

    HttpResponse<String> post(String token, byte[] body, String cookie, String csrf, String origin) throws Exception {
        return send(port, token, body, cookie, csrf, origin);
    }

    private static HttpResponse<String> send(int port, String token, byte[] body, String cookie, String csrf,
                                             String origin) throws Exception {
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + EventStreams.PATH + "/" + token))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (cookie != null) {
            post.header("Cookie", "SESSION=" + cookie);
        }
        if (csrf != null) {
            post.header("X-CSRF-TOKEN", csrf);
        }
        if (origin != null) {
            post.header("Origin", origin);
        }
        return HTTP.send(post.build(), HttpResponse.BodyHandlers.ofString());
    }

    String cookie() {
        return cookie;
    }

    String csrf() {
        return csrf;
    }

    @Override
    public void close() throws IOException {
        if (response.statusCode() == 200) {
            response.body().close();
        }
    }
}
