package io.gifchat.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP link from a free local port to {@code 127.0.0.1:<port>} that can be made slow: every chunk waits
 * {@link #delay} before it goes on, in both directions, in order. One node's Redis connections through it make that
 * node's SUBSCRIBE reach Redis later than another node's PUBLISH, which is what a RECEIPT that waits for Redis
 * must cover. A connection closed on one side is closed on the other.
 */
final class SlowLink implements AutoCloseable {

    private static final byte[] END = new byte[0];

    final int port;
    private final int upstream;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Duration delay = Duration.ZERO;

    private SlowLink(int upstream) {
        this.upstream = upstream;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = server.getLocalPort();
        daemon("slow-link-" + port, this::accept);
    }

    static SlowLink to(int upstreamPort) {
        return new SlowLink(upstreamPort);
    }

    String redisUrl() {
        return "redis://127.0.0.1:" + port;
    }

    /** From now on each chunk, either way, waits this long (zero: none). */
    void delay(Duration delay) {
        this.delay = delay;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(SlowLink::closeQuietly);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException closed) {
                return;
            }
            Socket target = new Socket();
            try {
                target.connect(new InetSocketAddress("127.0.0.1", upstream), 2000);
            } catch (IOException refused) {
                closeQuietly(client);
                closeQuietly(target);
                continue;
            }
            sockets.add(client);
            sockets.add(target);
            pipe(client, target);
            pipe(target, client);
        }
    }

    /** Reads from {@code from} and writes to {@code to} what has waited its delay: a reader and a writer thread. */
    private void pipe(Socket from, Socket to) {
        BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
        daemon("slow-link-read", () -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    chunks.add(new Chunk(System.nanoTime() + delay.toNanos(), Arrays.copyOf(buffer, n)));
                }
            } catch (IOException closed) {
                // the end either way
            }
            chunks.add(new Chunk(System.nanoTime() + delay.toNanos(), END));
        });
        daemon("slow-link-write", () -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = chunks.take();
                    long wait = chunk.due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (chunk.bytes == END) {
                        break;
                    }
                    out.write(chunk.bytes);
                    out.flush();
                }
            } catch (IOException | InterruptedException closed) {
                // the end either way
            }
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        });
    }

    private record Chunk(long due, byte[] bytes) {
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
