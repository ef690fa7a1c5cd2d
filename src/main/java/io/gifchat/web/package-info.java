/**
 * The HTTP edge of the whole app: security headers (CSP), CSRF and the login rules, the mapping of domain
 * refusals to ProblemDetail, what every page shows (identity, CSRF token), and the pages that compose the
 * features: the lobby and the room page.
 */
@ApplicationModule(displayName = "Web (pages, security, problems)",
        allowedDependencies = {"room", "chat", "messaging", "identity", "limits", "domain"})
package io.gifchat.web;

import org.springframework.modulith.ApplicationModule;
