package io.gifchat.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The one administrator.
 *
 * @param username login name
 * @param password login password ({@code CHAT_ADMIN_PASSWORD}); when empty a random one is generated at start-up and
 *                 logged once
 */
@ConfigurationProperties("gifchat.admin")
public record AdminProperties(@DefaultValue("admin") String username, @DefaultValue("") String password) {
}
