package io.gifchat.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.gifchat.domain.Refusal;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals raised before a controller runs (a web filter's budget, such as the admin login's): the same ProblemDetail
 * as {@link Problems} gives for a controller's, instead of Boot's generic error body — or the same error page, for a
 * browser asking for one (the login form posted once too often). Runs before Boot's error handler (order -1);
 * anything that is not a refusal goes on to it.
 */
@Component
@Order(-2)
class RefusalHandler implements WebExceptionHandler {

    private final JsonMapper json;
    private final ServerResponse.Context pages;

    RefusalHandler(JsonMapper json, ServerCodecConfigurer codecs, List<ViewResolver> viewResolvers) {
        this.json = json;
        this.pages = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return codecs.getWriters();
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return viewResolvers;
            }
        };
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (!(error instanceof Refusal refusal) || exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        var status = Problems.status(refusal.reason());
        if (ErrorPages.wanted(exchange)) {
            return ServerResponse.status(status).headers(headers -> Problems.retryAfter(refusal, headers))
                    .render(ErrorPages.VIEW, ErrorPages.model(status, refusal.getMessage()))
                    .flatMap(page -> page.writeTo(exchange, pages));
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", refusal.getMessage());
        problem.put("instance", exchange.getRequest().getPath().value());
        var response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        Problems.retryAfter(refusal, response.getHeaders());
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(json.writeValueAsBytes(problem))));
    }
}
