package io.gifchat.limits;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The key a client's per-address budgets are kept under. The address is the connection's remote address; behind a
 * reverse proxy, Boot's {@code server.forward-headers-strategy=native} makes Reactor Netty take it from the
 * {@code Forwarded} / {@code X-Forwarded-For} header instead — set it only when that proxy is trusted to overwrite
 * what clients send, or anyone could pick their own address. IPv6 clients are keyed by their /64 network: one
 * subscriber usually gets a whole /64, so counting single addresses would give them 2^64 budgets.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String key(InetSocketAddress remote) {
        if (remote == null) {
            return "unknown"; // e.g. a test harness without a socket: they share one budget
        }
        InetAddress address = remote.getAddress();
        if (address == null) {
            return remote.getHostString();
        }
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            StringBuilder network = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        }
        return address.getHostAddress();
    }
}
