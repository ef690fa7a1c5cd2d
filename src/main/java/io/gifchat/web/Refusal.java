package io.gifchat.web;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A request refused with a status and a message meant for the person who made it; JSON endpoints answer it as a
 * ProblemDetail ({@link Problems}). {@code errors} (field → message) accompany a 400 for a form.
 */
public class Refusal extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, String> errors;

    public Refusal(HttpStatus status, String message) {
        this(status, message, Map.of());
    }

    public Refusal(HttpStatus status, String message, Map<String, String> errors) {
        super(message, null, false, false);
        this.status = status;
        this.errors = errors;
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, String> errors() {
        return errors;
    }
}
