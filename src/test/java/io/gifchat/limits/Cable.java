package io.gifchat.limits;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP line from a local port to a server (Redis) that a test can cut (every connection closed, and the port then
 * closed too: reconnecting fails), stall (connections stay open, nothing gets through: a Redis that hangs) and mend.
 */
final class Cable implements AutoCloseable {

    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile ServerSocket listener;
    private volatile boolean stalled;
    private final int port;

    Cable(String host, int targetPort) throws IOException {
        this.target = new InetSocketAddress(host, targetPort);
        this.listener = listenBelowEphemeral();
        this.port = listener.getLocalPort();
        accept(listener);
    }

    /**
     * A port below Linux's ephemeral range (32768 and up by default): while the cable is cut its port is closed, and
     * one from that range could meanwhile be handed out as the local end of some outgoing connection (a reconnect
     * among them), after which {@link #mend} could not listen on it again.
     */
    private static ServerSocket listenBelowEphemeral() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_768);
            try {
                return listen(port);
            } catch (BindException taken) {
                // another one
            }
        }
        return listen(0);
    }

    int port() {
        return port;
    }

    /** Closes every connection and the port: whoever connects again is refused until {@link #mend}. */
    void cut() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /** Keeps the connections open but lets nothing through, either way. */
    void stall() {
        stalled = true;
    }

    /** Lets bytes through again, and listens again on the same port if it was cut. */
    void mend() throws IOException {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
        if (listener.isClosed()) {
            listener = listen(port);
            accept(listener);
        }
    }

    @Override
    public void close() throws IOException {
        mend();
        cut();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void accept(ServerSocket on) {
        daemon("cable-accept", () -> {
            while (!on.isClosed()) {
                try {
                    Socket client = on.accept();
                    Socket server = new Socket();
                    server.connect(target, 2000);
                    sockets.add(client);
                    sockets.add(server);
                    daemon("cable-up", () -> pump(client, server));
                    daemon("cable-down", () -> pump(server, client));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (gate) {
                    while (stalled) {
                        gate.wait();
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            // cut, or one side closed: both go
        }
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }
}
