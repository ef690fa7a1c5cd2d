package io.gifchat.store;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
class StoreDurabilityConfiguration {

    @Bean
    StoreDurability storeDurability(ObjectProvider<EmbeddedMongo> embedded) {
        EmbeddedMongo store = embedded.getIfAvailable();
        if (store == null) {
            return Mono::empty;
        }
        return () -> Mono.<Void>fromRunnable(store::commit).subscribeOn(Schedulers.boundedElastic());
    }
}
