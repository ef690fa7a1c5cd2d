package io.gifchat.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.gifchat.domain.Refusal;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals raised before a controller runs (a web filter's budget, such as the admin login's): the same ProblemDetail
 * as {@link Problems} gives for a controller's, instead of Boot's generic error body. Runs before Boot's
 * error handler (order -1); anything that is not a refusal goes on to it.
 */
@Component
@Order(-2)
class RefusalHandler implements WebExceptionHandler {

    private final JsonMapper json;

    RefusalHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (!(error instanceof Refusal refusal) || exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        var status = Problems.status(refusal.reason());
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
