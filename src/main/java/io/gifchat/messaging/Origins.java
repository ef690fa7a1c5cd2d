package io.gifchat.messaging;

import java.net.URI;
import java.net.URISyntaxException;
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
        return origin == null || isSameOrigin(origin, request) || allowed.checkOrigin(origin) != null;
    }

    private static boolean isSameOrigin(String origin, HttpServerRequest request) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null) {
            return false;
        }
        int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
        return scheme.equalsIgnoreCase(request.scheme())
                && unbracketed(host).equalsIgnoreCase(unbracketed(request.hostName()))
                && port == request.hostPort();
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme.toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    /** IPv6 literals: the URI keeps the brackets, the Host header parser may not. */
    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
