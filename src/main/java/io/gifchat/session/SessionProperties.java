package io.gifchat.session;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Browser sessions, stored in MongoDB by Spring Session.
 *
 * @param timeout       idle time after which a session (and with it the anonymous identity) expires, once it was
 *                      used for more than fetching pages: a state-changing request, or the page's live connection
 * @param firstVisitTimeout idle time after which a session that only fetched pages expires (scripts, crawlers
 *                      and link previews never run the page, so their sessions stay this short)
 * @param sweepInterval how often expired sessions are deleted; the embedded store ignores TTL indexes
 * @param cookieName    the session cookie (HttpOnly, SameSite=Lax)
 */
@ConfigurationProperties("gifchat.session")
public record SessionProperties(
        @DefaultValue("7d") Duration timeout,
        @DefaultValue("1h") Duration firstVisitTimeout,
        @DefaultValue("10m") Duration sweepInterval,
        @DefaultValue("SESSION") String cookieName) {

    public static final String COLLECTION = "sessions";
}
