package io.gifchat.gif;

import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.codec.multipart.DefaultPartHttpMessageReader;
import org.springframework.http.codec.multipart.MultipartHttpMessageReader;

/**
 * WebFlux multipart limits, set explicitly rather than left to defaults: the only upload is one GIF, so few parts,
 * each part's disk use capped at the GIF limit, small parts kept in memory, headers bounded.
 */
@Configuration(proxyBeanMethods = false)
class MultipartLimits {

    static final int MAX_PARTS = 4;
    static final int MAX_IN_MEMORY = 256 * 1024;
    static final int MAX_HEADERS = 8 * 1024;

    /** Applied after Boot's own multipart customizer, so these limits are the ones in force. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    CodecCustomizer gifMultipartLimits(GifProperties properties) {
        return configurer -> {
            DefaultPartHttpMessageReader parts = new DefaultPartHttpMessageReader();
            parts.setMaxParts(MAX_PARTS);
            parts.setMaxDiskUsagePerPart(properties.maxSize().toBytes());
            parts.setMaxInMemorySize(MAX_IN_MEMORY);
            parts.setMaxHeadersSize(MAX_HEADERS);
            configurer.defaultCodecs().multipartReader(new MultipartHttpMessageReader(parts));
        };
    }
}
