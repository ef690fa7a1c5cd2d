package io.gifchat.cluster;

import io.gifchat.broker.Broker;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One node (the default): the broker alone, the fan-out straight to it, a bulletin with nobody to tell, and no
 * other node to run errands for. Redis is never connected.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "gifchat.cluster.enabled", havingValue = "false", matchIfMissing = true)
class SingleNodeConfiguration {

    @Bean
    Broker broker() {
        return new Broker();
    }

    @Bean
    Fanout fanout(Broker broker) {
        return new LocalFanout(broker);
    }

    @Bean
    Bulletin bulletin() {
        return new LocalBulletin();
    }

    @Bean
    Errands errands() {
        return new LocalErrands();
    }
}
