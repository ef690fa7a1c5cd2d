/**
 * The anonymous identity of a browser session (a random id, a nickname, the npm color-hash color of the id), kept
 * in the session, and found from a session id for the WebSocket handshake.
 */
@ApplicationModule(displayName = "Identity", allowedDependencies = {"limits", "session", "domain"})
package io.gifchat.identity;

import org.springframework.modulith.ApplicationModule;
