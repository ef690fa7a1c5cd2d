package io.gifchat.cluster;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    /** This process's id, in both modes (one node is a cluster of one). */
    @Bean
    Node node() {
        return Node.fresh();
    }
}
