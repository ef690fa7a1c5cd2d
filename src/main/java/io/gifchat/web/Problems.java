package io.gifchat.web;

import io.gifchat.domain.Refusal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Domain refusals over HTTP: {@code application/problem+json} with the reason's status, the human message as
 * {@code detail}, and {@code errors} (field → message) for a refused form. The one place a reason becomes a status.
 */
@RestControllerAdvice
class Problems {

    @ExceptionHandler(Refusal.class)
    ResponseEntity<ProblemDetail> refused(Refusal refusal) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status(refusal.reason()), refusal.getMessage());
        if (!refusal.fields().isEmpty()) {
            problem.setProperty("errors", refusal.fields());
        }
        HttpHeaders headers = new HttpHeaders();
        retryAfter(refusal, headers);
        return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
    }

    /** A spent budget says when to come back, in whole seconds, at least one. */
    static void retryAfter(Refusal refusal, HttpHeaders headers) {
        if (refusal.retryAfter() != null) {
            long seconds = (refusal.retryAfter().toMillis() + 999) / 1000;
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, seconds)));
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
