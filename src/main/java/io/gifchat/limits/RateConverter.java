package io.gifchat.limits;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/** Binds {@code gifchat.limits.*} values such as {@code 20/1m} to {@link Rate}. */
@Component
@ConfigurationPropertiesBinding
class RateConverter implements Converter<String, Rate> {

    @Override
    public Rate convert(String source) {
        return Rate.parse(source);
    }
}
