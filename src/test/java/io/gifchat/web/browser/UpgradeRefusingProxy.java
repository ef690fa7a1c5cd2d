package io.gifchat.web.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy for tests that refuses WebSocket upgrades, as some corporate proxies do: a request carrying
 * {@code Upgrade: websocket} is answered 403; any other is passed to the app with {@code Connection: close} (one
 * request per connection, so every request's head is seen here) and the bytes piped both ways until either side
 * closes. Adapted from {@link io.gifchat.TcpBalancer}.
 */
final class UpgradeRefusingProxy implements AutoCloseable {

    private static final int MAX_HEAD = 64 * 1024;
    private static final byte[] REFUSED = ("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 26\r\n"
            + "Connection: close\r\n\r\nWebSocket upgrades refused").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final int backend;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    private UpgradeRefusingProxy(int backend) throws IOException {
        this.backend = backend;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "upgrade-refusing-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static UpgradeRefusingProxy start(int backendPort) {
        try {
            return new UpgradeRefusingProxy(backendPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** WebSocket upgrades refused so far. */
    int refused() {
        return refused.get();
    }

    /** Requests passed to the app so far. */
    int passed() {
        return passed.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                Thread serve = new Thread(() -> serve(client), "proxy-request");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            String head = head(client.getInputStream());
            if (head == null) {
                close(client);
                return;
            }
            if (isUpgrade(head)) {
                refused.incrementAndGet();
                client.getOutputStream().write(REFUSED);
                client.getOutputStream().flush();
                close(client);
                return;
            }
            Socket app = new Socket();
            open.add(app);
            app.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), backend), 1000);
            app.setTcpNoDelay(true);
            passed.incrementAndGet();
            app.getOutputStream().write(oneRequest(head).getBytes(StandardCharsets.ISO_8859_1));
            app.getOutputStream().flush();
            pipe(client, app);
            pipe(app, client);
        } catch (IOException e) {
            close(client);
        }
    }

    /** The request head through its blank line, or null if the client closed first. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0 || head.size() > MAX_HEAD) {
                return null;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean isUpgrade(String head) {
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("upgrade:") && lower.contains("websocket")) {
                return true;
            }
        }
        return false;
    }

    /** The head with {@code Connection: close} instead of whatever it said. */
    private static String oneRequest(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.substring(0, head.length() - 4).split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                out.append(line).append("\r\n");
            }
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private void pipe(Socket from, Socket to) {
        Thread pipe = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                close(from);
                close(to);
            }
        }, "proxy-pipe");
        pipe.setDaemon(true);
        pipe.start();
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(this::close);
    }
}
