package io.gifchat.admin;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.RejectedExecutionException;

import io.gifchat.limits.Hashing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
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

    /**
     * Spring Security's own login check, with BCrypt on the bounded hashing pool instead of boundedElastic. A full
     * pool is an authentication service failure: the login page says the login failed, and nothing waits.
     */
    @Bean
    ReactiveAuthenticationManager adminLogin(MapReactiveUserDetailsService administrator, PasswordEncoder encoder,
                                             Hashing hashing) {
        var check = new UserDetailsRepositoryReactiveAuthenticationManager(administrator);
        check.setPasswordEncoder(encoder);
        check.setScheduler(hashing.scheduler());
        return authentication -> check.authenticate(authentication)
                .onErrorMap(RejectedExecutionException.class,
                        full -> new AuthenticationServiceException("The server is busy checking passwords.", full));
    }
}
