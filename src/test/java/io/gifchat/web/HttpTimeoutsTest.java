package io.gifchat.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.gifchat.messaging.RawStompClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** The header-read deadline, tried with a slowloris, a kept-alive connection and a WebSocket. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gifchat.http.header-read-timeout=1s")
class HttpTimeoutsTest {

    @LocalServerPort
    int port;

    @Test
    void aClientDrippingItsHeadersIsAnswered408AndCutAtTheDeadline() throws Exception {
        try (Socket socket = socket()) {
            OutputStream out = socket.getOutputStream();
            out.write(ascii("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
            long start = System.nanoTime();
            String answer = null;
            socket.setSoTimeout(200);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            // One more header line every 200 ms — each byte would restart an idle timeout, never this deadline.
            while (answer == null && System.nanoTime() - start < Duration.ofSeconds(8).toNanos()) {
                try {
                    out.write(ascii("X-Drip: " + System.nanoTime() + "\r\n"));
                } catch (SocketException closed) {
                    break;
                }
                try {
                    byte[] buffer = new byte[512];
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    read.write(buffer, 0, n);
                } catch (java.net.SocketTimeoutException nothingYet) {
                    // keep dripping
                }
                if (read.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
                    answer = read.toString(StandardCharsets.US_ASCII);
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(answer).as("an answer before the connection closed").startsWith("HTTP/1.1 408 Request Timeout");
            assertThat(took).isBetween(Duration.ofMillis(800), Duration.ofSeconds(4));
            socket.setSoTimeout(4000);
            assertThat(drainToEnd(in)).as("then the connection is closed").isTrue();
        }
    }

    @Test
    void aKeptAliveConnectionIsNotCutForWaitingLongerThanTheDeadlineBetweenRequests() throws Exception {
        try (Socket socket = socket()) {
            assertThat(request(socket)).startsWith("HTTP/1.1 200");
            Thread.sleep(1500); // idle between requests, longer than the header deadline (time passing is the test)
            assertThat(request(socket)).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aWebSocketIsNotCutByTheHeaderDeadline() throws Exception {
        try (RawStompClient client = RawStompClient.connected(port, new HttpHeaders())) {
            Thread.sleep(1500); // longer than the header deadline (time passing is the test)
            client.send("SUBSCRIBE\nid:1\ndestination:/user/queue/errors\nreceipt:still\n\n\0");
            assertThat(client.next(Duration.ofSeconds(5))).startsWith("RECEIPT");
        }
    }

    Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        return socket;
    }

    /** One GET of the health endpoint on this connection; returns the status line and headers. */
    static String request(Socket socket) throws IOException {
        socket.getOutputStream().write(ascii("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        var length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(headers);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return headers;
    }

    static boolean drainToEnd(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // what is left of the answer
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
