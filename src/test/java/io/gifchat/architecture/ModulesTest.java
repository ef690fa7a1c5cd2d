package io.gifchat.architecture;

import io.gifchat.GifChatApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture's guard: every top-level package is an application module, dependencies point downhill only
 * (each module's {@code package-info.java} lists what it may use), no module reaches into another's internals,
 * and there are no cycles. A change that points uphill fails here.
 */
class ModulesTest {

    static final ApplicationModules MODULES = ApplicationModules.of(GifChatApplication.class);

    @Test
    void dependenciesPointDownhillOnly() {
        MODULES.verify();
    }

    @Test
    void theProtocolAndTheBrokerKnowNothingOfTheApplication() {
        assertThat(MODULES.getModuleByName("stomp").orElseThrow().getBootstrapDependencies(MODULES)).isEmpty();
        assertThat(MODULES.getModuleByName("broker").orElseThrow().getDirectDependencies(MODULES).uniqueModules()
                .map(m -> m.getIdentifier().toString())).containsExactly("stomp");
    }

    @Test
    void writesTheModuleDocumentation() {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("target/spring-modulith-docs"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}
