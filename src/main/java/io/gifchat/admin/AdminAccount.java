package io.gifchat.admin;

import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.StringUtils;

/** The administrator's login: {@code gifchat.admin.username} and its password, or a random one logged once. */
@Configuration(proxyBeanMethods = false)
class AdminAccount {

    private static final Logger log = LoggerFactory.getLogger(AdminAccount.class);

    @Bean
    MapReactiveUserDetailsService administrator(AdminProperties properties, PasswordEncoder encoder) {
        String password = properties.password();
        if (!StringUtils.hasText(password)) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("No CHAT_ADMIN_PASSWORD set: the admin password for this run is {} (user '{}')",
                    password, properties.username());
        }
        return new MapReactiveUserDetailsService(User.withUsername(properties.username())
                .password(encoder.encode(password)).roles("ADMIN").build());
    }
}
