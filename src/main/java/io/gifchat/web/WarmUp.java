package io.gifchat.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.gifchat.identity.Identities;
import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * The first visitor after a start waited for the JVM's first-time work: on that request it loaded and initialised
 * the HTTP pipeline and security chain, Thymeleaf and its expressions, the session's serialization and the
 * budgets' buckets (1,366 classes) — 0.6 s to the lobby's first byte on an idle machine a few seconds after start,
 * 3.8 s on a busy one, against 0.05 s for the second visitor (figures: README, Decisions). Once the app is ready,
 * this asks the server itself, over loopback, for what that visitor's page needs: the lobby (for a throwaway
 * session made here with an identity, so no visitor's new-session budget is spent, and deleted afterwards), the
 * error page, the room list API, the styles and scripts. Not the WebSocket: a handshake would spend the loopback
 * address's handshake budget.
 *
 * <p>It runs in the background: readiness is not delayed, a failure (the store down, an unusual bind address) is
 * one log line and never stops the app, every request has a deadline, and shutdown cancels it. It speaks plain
 * HTTP, so with {@code server.ssl} configured it does nothing. {@code gifchat.http.warm-up=false} switches it off.
 */
@Component
class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** What the lobby's browser asks for after the page: the layout's styles and scripts (fragments/layout.html). */
    private static final List<String> ASSETS = List.of("/css/app.css", "/js/app.js", "/js/lobby.js", "/favicon.svg",
            "/webjars/htmx.org/dist/htmx.min.js", "/webjars/stomp__stompjs/bundles/stomp.umd.min.js");
    /** As Chromium sends it when it opens an address. */
    private static final String PAGE = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private final HttpProperties properties;
    private final Environment environment;
    private final ReactiveSessionRepository<? extends Session> sessions;
    private final WebSessionIdResolver sessionIds;
    private final Identities identities;
    private final Budgets budgets;
    private volatile Disposable running;

    WarmUp(HttpProperties properties, Environment environment, ReactiveSessionRepository<? extends Session> sessions,
           WebSessionIdResolver sessionIds, Identities identities, Budgets budgets) {
        this.properties = properties;
        this.environment = environment;
        this.sessions = sessions;
        this.sessionIds = sessionIds;
        this.identities = identities;
        this.budgets = budgets;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        Integer port = environment.getProperty("local.server.port", Integer.class);
        if (!properties.warmUp() || port == null || port <= 0 || secure()) {
            return;
        }
        InetSocketAddress server;
        try {
            server = new InetSocketAddress(host(), port);
        } catch (UnknownHostException e) {
            log.info("No warm-up: cannot reach server.address {} ({})", environment.getProperty("server.address"), e.toString());
            return;
        }
        long started = System.nanoTime();
        running = warm(server).subscribe(
                null,
                e -> log.info("Warm-up incomplete ({}): the first visitors pay for what it did not reach", e.getMessage()),
                () -> log.info("Warmed up in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis()));
    }

    @PreDestroy
    void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
    }

    /**
     * Every step, one after the other; a failed one does not stop the others (with the store down, the lobby and
     * the API fail but the error page and the assets still warm). Errors at the end if any step failed.
     */
    Mono<Void> warm(InetSocketAddress server) {
        HttpClient http = HttpClient.newConnection().remoteAddress(() -> server).responseTimeout(DEADLINE);
        List<Mono<Void>> steps = new ArrayList<>();
        // A bucket of its own (no key, no map): the bucket code is loaded and run, nobody's budget is spent.
        steps.add(Mono.fromRunnable(() -> budgets.allowance(Budget.NEW_SESSIONS).trySpend()));
        steps.add(Mono.defer(() -> lobby(http)));
        steps.add(get(http, "/.well-known/gif-chat-warm-up", PAGE)); // no such page: the error page
        steps.add(get(http, "/api/rooms", "application/json"));
        ASSETS.forEach(path -> steps.add(get(http, path, "*/*")));
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        return Flux.fromIterable(steps)
                .concatMap(step -> step.onErrorResume(e -> {
                    failures.add(e);
                    return Mono.empty();
                }))
                .then(Mono.defer(() -> failures.isEmpty() ? Mono.empty() : Mono.error(new IllegalStateException(
                        failures.size() + " of " + steps.size() + " steps failed, the first with " + failures.get(0),
                        failures.get(0)))));
    }

    /**
     * The lobby as a first visitor gets it, for a session made here with a fresh identity (a first visitor's would
     * spend the loopback address's new-session budget), deleted once the page is read, or failed. The page's CSRF
     * token gives the session a new id (Spring Security changes it when it stores a token), which comes back in
     * the answer's cookie: both ids are deleted.
     */
    private Mono<Void> lobby(HttpClient http) {
        if (!(sessionIds instanceof CookieWebSessionIdResolver resolver)) {
            return Mono.empty();
        }
        String cookie = resolver.getCookieName();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        return Mono.usingWhen(throwaway(sessions).doOnNext(ids::add),
                id -> get(http, "/", PAGE, cookie + "=" + id, response -> response.cookies()
                        .getOrDefault(cookie, Set.of()).forEach(set -> ids.add(set.value()))),
                id -> Flux.fromIterable(ids).concatMap(sessions::deleteById).then().timeout(DEADLINE));
    }

    private <S extends Session> Mono<String> throwaway(ReactiveSessionRepository<S> repository) {
        return repository.createSession().flatMap(session -> {
            session.setAttribute(Identities.ATTRIBUTE, identities.fresh());
            return repository.save(session).thenReturn(session.getId());
        }).timeout(DEADLINE);
    }

    /**
     * GETs {@code path} and reads the whole answer. Any status will do (the point is the work done to answer);
     * only getting none — refused, reset, past the deadline — stops the warm-up.
     */
    private static Mono<Void> get(HttpClient http, String path, String accept, String cookie,
                                  Consumer<HttpClientResponse> answered) {
        return http.headers(headers -> {
                    headers.set(HttpHeaders.ACCEPT, accept);
                    if (cookie != null) {
                        headers.set(HttpHeaders.COOKIE, cookie);
                    }
                })
                .get().uri(path)
                .responseSingle((response, body) -> {
                    answered.accept(response);
                    return body.asByteArray().then(Mono.just(response.status().code()));
                })
                .timeout(DEADLINE)
                .doOnNext(status -> log.debug("Warm-up GET {}: {}", path, status))
                .then();
    }

    private static Mono<Void> get(HttpClient http, String path, String accept) {
        return get(http, path, accept, null, response -> { });
    }

    private boolean secure() {
        return environment.getProperty("server.ssl.enabled", Boolean.class, false)
                || environment.containsProperty("server.ssl.bundle")
                || environment.containsProperty("server.ssl.key-store")
                || environment.containsProperty("server.ssl.certificate");
    }

    /** Where the server listens: loopback unless {@code server.address} names one interface. */
    private InetAddress host() throws UnknownHostException {
        String configured = environment.getProperty("server.address");
        if (configured == null || configured.isBlank()) {
            return InetAddress.getLoopbackAddress();
        }
        InetAddress address = InetAddress.getByName(configured);
        return address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address;
    }
}
