package io.gifchat.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;

/**
 * Which failures a person sees as a page, and what that page says. A browser opening an address asks for HTML
 * first ({@code Accept: text/html,…}) and would otherwise be shown the raw ProblemDetail; scripts (fetch and htmx
 * send {@code *}{@code /*}), API clients and everything under {@code /api/} keep the ProblemDetail, which they can
 * read. One template, {@code error/error.html}, is also the one Boot's own error handler renders for what no
 * handler here answered (a 500): its model has {@code status} and {@code error}, and the template falls back on
 * them.
 */
final class ErrorPages {

    /** Under the Thymeleaf prefix; Boot's error handler looks for {@code error/<status>}, then this. */
    static final String VIEW = "error/error";

    private ErrorPages() {
    }

    /**
     * A page request: not under {@code /api/}, and HTML is asked for at least as strongly as JSON. Wildcards
     * ({@code *}{@code /*}, {@code text/*}) count for neither, so a client that names no type gets JSON.
     */
    static boolean wanted(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.equals("/api") || path.startsWith("/api/")) {
            return false;
        }
        List<MediaType> accepted;
        try {
            accepted = exchange.getRequest().getHeaders().getAccept();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        double html = 0;
        double json = 0;
        for (MediaType type : accepted) {
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                continue;
            }
            if (MediaType.TEXT_HTML.equalsTypeAndSubtype(type) || MediaType.APPLICATION_XHTML_XML.equalsTypeAndSubtype(type)) {
                html = Math.max(html, type.getQualityValue());
            } else if ("json".equals(type.getSubtypeSuffix()) || "json".equals(type.getSubtype())) {
                json = Math.max(json, type.getQualityValue());
            }
        }
        return html > 0 && html >= json;
    }

    /**
     * The page's model: {@code status}, {@code error} (the reason phrase, as Boot's model has it), a short
     * {@code title} and a {@code sentence} for the person — {@code detail} when there is one meant for people (a
     * refusal's message), else one chosen by the status (a framework's detail such as "No static resource x." is
     * for developers).
     */
    static Map<String, Object> model(HttpStatusCode status, String detail) {
        Map<String, Object> model = new LinkedHashMap<>();
        HttpStatus known = HttpStatus.resolve(status.value());
        model.put("status", status.value());
        model.put("error", known == null ? "Error" : known.getReasonPhrase());
        model.put("title", title(status, known));
        model.put("sentence", detail != null && !detail.isBlank() ? detail : sentence(status));
        return model;
    }

    private static String title(HttpStatusCode status, HttpStatus known) {
        if (status.value() == 404) {
            return "Page not found";
        }
        if (status.value() == 403) {
            return "Not allowed";
        }
        if (status.is5xxServerError()) {
            return "Something went wrong";
        }
        return known == null ? "Error " + status.value() : known.getReasonPhrase();
    }

    private static String sentence(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "The request was not understood.";
            case 403 -> "You may not open this page.";
            case 404 -> "There is no page at this address. The link may be mistyped, or what it pointed to is gone.";
            case 405 -> "This address does not answer that kind of request.";
            case 429 -> "Too many requests; wait a moment and try again.";
            default -> status.is5xxServerError() ? "Something went wrong on our side. Try again in a moment."
                    : "This request could not be answered.";
        };
    }
}
