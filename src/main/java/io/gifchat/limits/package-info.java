/**
 * Budgets: how much of each action one client may spend — frames per connection, subscription changes, room
 * creation, GIF uploads, password and login tries, handshakes and new sessions per client address — and the bounded
 * pool BCrypt runs on. Token buckets (bucket4j): on one node in bounded, expiring maps (Caffeine); in cluster mode in
 * Redis through bucket4j's Lettuce proxy manager, shared by every node, each node's own memory the fallback while
 * Redis does not answer. All switched off together by {@code gifchat.limits.enabled=false} for load tests. A spent
 * budget is a {@link io.gifchat.domain.Refusal} with reason {@code TOO_MANY}; each edge maps it (429 over HTTP, a
 * STOMP ERROR or notice). Depends on the kernel, and on the cluster's namespace and Redis connection.
 */
@ApplicationModule(displayName = "Limits (budgets)", allowedDependencies = {"cluster", "domain"})
package io.gifchat.limits;

import org.springframework.modulith.ApplicationModule;
