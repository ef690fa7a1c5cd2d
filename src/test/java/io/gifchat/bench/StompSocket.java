package io.gifchat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A STOMP client on the JDK's WebSocket, as the chat benchmarks use it: text frames in, split at NUL into STOMP
 * frames for {@link #onFrame}; frames out chained, because the JDK allows one outstanding send per socket. The
 * JDK calls a socket's listener methods one at a time.
 */
abstract class StompSocket implements WebSocket.Listener {

    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private CompletableFuture<WebSocket> chain;

    /** Opens {@code /ws} on the port with the visitor's session cookie. */
    final void connect(HttpClient http, int port, String session, Duration timeout) throws Exception {
        socket = http.newWebSocketBuilder().header("Cookie", "SESSION=" + session).subprotocols("v12.stomp")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this).get(timeout.toSeconds(), TimeUnit.SECONDS);
        chain = CompletableFuture.completedFuture(socket);
    }

    /** One STOMP frame (or several), queued behind the ones before. */
    final synchronized void write(String frames) {
        chain = chain.thenCompose(ws -> ws.sendText(frames, true));
    }

    final void abort() {
        socket.abort();
    }

    /** A STOMP frame from the server, without its NUL and the heart-beat newlines before it. */
    abstract void onFrame(String frame);

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String message = partial.toString();
            partial.setLength(0);
            for (String frame : message.split("\0")) {
                onFrame(frame.stripLeading());
            }
        }
        return null;
    }
}
