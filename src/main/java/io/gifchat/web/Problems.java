package io.gifchat.web;

import io.gifchat.domain.Refusal;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Domain refusals and the framework's own errors (no such page, method not allowed, unreadable body…) over HTTP:
 * {@code application/problem+json} with the status, the human message as {@code detail}, and {@code errors}
 * (field → message) for a refused form — or, for a browser asking for a page ({@link ErrorPages#wanted}), the
 * error page with the same status and headers. The one place a reason becomes a status. Ordered before Boot's
 * ProblemDetail handler (order 0), whose JSON for the framework's errors this keeps as it was.
 *
 * <p>The handlers return either a {@link ResponseEntity} or a {@link Rendering}; WebFlux picks the result handler
 * by the value's type (this is a {@code @ControllerAdvice}, not a {@code @RestControllerAdvice}: a rendering must
 * not be written as a body).
 */
@ControllerAdvice
@Order(-1)
class Problems {

    @ExceptionHandler(Refusal.class)
    Object refused(Refusal refusal, ServerWebExchange exchange) {
        HttpStatus status = status(refusal.reason());
        HttpHeaders headers = new HttpHeaders();
        retryAfter(refusal, headers);
        if (ErrorPages.wanted(exchange)) {
            return page(status, refusal.getMessage(), headers);
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refusal.getMessage());
        if (!refusal.fields().isEmpty()) {
            problem.setProperty("errors", refusal.fields());
        }
        return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
    }

    /** What Spring raises itself: {@code NoResourceFoundException} for an unknown path, 405, 415, 400… */
    @ExceptionHandler({ResponseStatusException.class, ErrorResponseException.class})
    Object framework(Exception error, ServerWebExchange exchange) {
        ErrorResponse response = (ErrorResponse) error;
        if (ErrorPages.wanted(exchange)) {
            return page(response.getStatusCode(), null, response.getHeaders());
        }
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders()).body(response.getBody());
    }

    private static Rendering page(HttpStatusCode status, String detail, HttpHeaders headers) {
        return Rendering.view(ErrorPages.VIEW).status(status).headers(headers).model(ErrorPages.model(status, detail)).build();
    }

    /** A spent budget says when to come back, in whole seconds, at least one. */
    static void retryAfter(Refusal refusal, HttpHeaders headers) {
        if (refusal.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, refusal.retryAfterSeconds());
        }
    }

    static HttpStatus status(Refusal.Reason reason) {
        return switch (reason) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case NOT_ALLOWED -> HttpStatus.FORBIDDEN;
            case FULL -> HttpStatus.CONFLICT;
            case TOO_MANY -> HttpStatus.TOO_MANY_REQUESTS;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case GONE -> HttpStatus.GONE;
            case BUSY -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }
}
