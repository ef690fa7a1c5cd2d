package io.gifchat.messaging;

import java.util.List;
import java.util.Locale;

import org.springframework.web.cors.CorsConfiguration;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Which pages may open the WebSocket: browsers send {@code Origin} with every handshake, and without this check any
 * site could open a socket with the visitor's session cookie. The page's own origin (scheme, host and port of the
 * request, as Reactor Netty sees them, forwarded headers included when enabled) and Origin-less handshakes
 * (non-browser clients) pass; other origins only when they match a configured pattern, with the same pattern rules
 * as Spring's CORS support.
 */
final class Origins {

    private final CorsConfiguration allowed = new CorsConfiguration();

    Origins(List<String> patterns) {
        patterns.forEach(allowed::addAllowedOriginPattern);
    }

    boolean allows(String origin, HttpServerRequest request) {
        return allows(origin, request.scheme(), request.hostName(), request.hostPort());
    }

    /** The same for a request known by its scheme, host and port (a WebFlux request's URI). */
    boolean allows(String origin, String scheme, String hostName, int hostPort) {
        return origin == null || isSameOrigin(origin, scheme, hostName, hostPort) || allowed.checkOrigin(origin) != null;
    }

    /** An Origin is {@code scheme "://" host [ ":" port ]} (RFC 6454), parsed by hand: {@link java.net.URI} gives no
     * host for names such as {@code gif_chat}, which would refuse the page's own origin. */
    private static boolean isSameOrigin(String origin, String requestScheme, String hostName, int hostPort) {
        int separator = origin.indexOf("://");
        if (separator <= 0) {
            return false;
        }
        String scheme = origin.substring(0, separator);
        String rest = origin.substring(separator + 3);
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = rest.substring(1, close);
            port = rest.substring(close + 1);
        } else {
            int colon = rest.indexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            port = colon < 0 ? "" : rest.substring(colon);
        }
        if (host.isEmpty() || !host.chars().allMatch(Origins::isHostChar)) {
            return false;
        }
        int portNumber;
        if (port.isEmpty()) {
            portNumber = defaultPort(scheme);
        } else if (port.length() > 1 && port.length() <= 6 && port.charAt(0) == ':'
                && port.substring(1).chars().allMatch(Character::isDigit)) {
            portNumber = Integer.parseInt(port.substring(1));
        } else {
            return false;
        }
        return scheme.equalsIgnoreCase(requestScheme)
                && host.equalsIgnoreCase(unbracketed(hostName))
                && portNumber == hostPort;
    }

    private static boolean isHostChar(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == ':');
    }

    static int defaultPort(String scheme) {
        return "https".equals(scheme.toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    /** IPv6 literals: the URI keeps the brackets, the Host header parser may not. */
    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
