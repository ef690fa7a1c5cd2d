/**
 * Chat: the Chat document, each room's log (seq → store → durable commit → publish → receipt, one bounded lane per
 * room), in a cluster each room's lines from every node put back in seq order ({@link io.gifchat.chat.LineOrder}),
 * sending and whispering over STOMP, system lines for what happens in rooms, the history API.
 */
@ApplicationModule(displayName = "Chat",
        allowedDependencies = {"room", "messaging", "cluster", "identity", "store", "limits", "domain"})
package io.gifchat.chat;

import org.springframework.modulith.ApplicationModule;
