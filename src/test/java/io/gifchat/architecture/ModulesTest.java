package io.gifchat.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    static final Path GENERATED = Path.of("target/spring-modulith-docs");
    static final Path COMMITTED = Path.of("docs/modules");

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

    /**
     * Writes the module documentation to {@code target/spring-modulith-docs} and checks that the committed overview
     * ({@code docs/modules/components.puml}, linked from the README) still shows these modules and arrows;
     * {@code scripts/module-docs.sh} refreshes it. Lines are compared as a set: the Documenter's order varies.
     */
    @Test
    void theCommittedModuleDiagramMatchesTheCode() throws IOException {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(GENERATED.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        assertThat(sortedLines(COMMITTED.resolve("components.puml")))
                .as("docs/modules/components.puml is stale: run scripts/module-docs.sh")
                .isEqualTo(sortedLines(GENERATED.resolve("components.puml")));
    }

    private static List<String> sortedLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().sorted().toList();
    }
}
