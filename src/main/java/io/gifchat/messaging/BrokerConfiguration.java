package io.gifchat.messaging;

import io.gifchat.broker.Broker;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BrokerConfiguration {

    @Bean
    Broker broker() {
        return new Broker();
    }
}
