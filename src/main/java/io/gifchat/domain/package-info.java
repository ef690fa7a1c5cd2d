/**
 * What every feature module shares and nothing else: {@link io.gifchat.domain.Refusal}, the one way domain code
 * says "no" (a reason and a human message, mapped to ProblemDetail at the HTTP edge and to STOMP at the messaging
 * edge), and {@link io.gifchat.domain.Announcement}, the base of the application events that lower modules
 * publish and upper modules listen to. Depends on nothing of ours.
 */
@ApplicationModule(displayName = "Domain kernel", allowedDependencies = {})
package io.gifchat.domain;

import org.springframework.modulith.ApplicationModule;
