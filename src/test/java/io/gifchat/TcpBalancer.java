package io.gifchat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A load balancer for tests, at the TCP level: each new client connection goes to the first backend, in the given
 * order, that accepts a TCP connection within a second, and the bytes are piped both ways until either side closes.
 * A killed backend's connections close with it, and the clients' reconnects go to the next backend — as behind
 * any load balancer with health checks, and with no stickiness at all.
 */
public final class TcpBalancer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Integer> backends;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private TcpBalancer(List<Integer> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "balancer-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Balances over these backend ports on 127.0.0.1, the first live one first. */
    public static TcpBalancer start(List<Integer> backendPorts) {
        try {
            return new TcpBalancer(backendPorts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            open.add(client);
            Socket backend = connect();
            if (backend == null) {
                close(client);
                continue;
            }
            open.add(backend);
            pipe(client, backend);
            pipe(backend, client);
        }
    }

    private Socket connect() {
        for (int port : backends) {
            Socket backend = new Socket();
            try {
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                backend.setTcpNoDelay(true);
                return backend;
            } catch (IOException down) {
                close(backend);
            }
        }
        return null;
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // either side went away: both close below
            } finally {
                close(from);
                close(to);
            }
        }, "balancer-pipe");
        thread.setDaemon(true);
        thread.start();
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
