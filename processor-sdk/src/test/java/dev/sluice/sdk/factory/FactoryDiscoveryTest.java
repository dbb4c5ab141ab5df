package dev.sluice.sdk.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Factories are found through ServiceLoader; an unknown type lists the known ones, sorted. */
class FactoryDiscoveryTest {

    private static final String SERVICES = "META-INF/services/" + ProcessorFactory.class.getName();

    private static FactoryDiscovery<ProcessorFactory> loadRegistered() {
        return FactoryDiscovery.load(
                ProcessorFactory.class, "processor", FactoryDiscoveryTest.class.getClassLoader());
    }

    @Test
    void testIdentifiersAreSorted() {
        assertThat(loadRegistered().identifiers()).containsExactly("alpha", "mid", "zeta");
    }

    @Test
    void testUnknownMessageListsKnownIdentifiersSorted() {
        assertThat(loadRegistered().unknownMessage("filtre"))
                .isEqualTo(
                        "unknown processor type 'filtre'; known processor types: alpha, mid, zeta");
    }

    @Test
    void testFindByIdentifier() {
        FactoryDiscovery<ProcessorFactory> discovery = loadRegistered();

        assertThat(discovery.find("mid")).isInstanceOf(TestProcessorFactories.Mid.class);
        assertThat(discovery.find("zeta")).isInstanceOf(TestProcessorFactories.Zeta.class);
        assertThat(discovery.find("Mid")).isNull();
        assertThat(discovery.find("nope")).isNull();
    }

    @Test
    void testNothingRegisteredGivesAnEmptyList(@TempDir Path dir) throws IOException {
        FactoryDiscovery<ProcessorFactory> discovery =
                FactoryDiscovery.load(
                        ProcessorFactory.class, "processor", servicesLoader(dir, List.of()));

        assertThat(discovery.identifiers()).isEmpty();
        assertThat(discovery.find("filter")).isNull();
    }

    @Test
    void testTwoClassesWithOneIdentifierFailNamingBoth(@TempDir Path dir) throws IOException {
        ClassLoader loader =
                servicesLoader(
                        dir,
                        List.of(
                                TestProcessorFactories.Alpha.class.getName(),
                                TestProcessorFactories.Mid.class.getName(),
                                TestProcessorFactories.AlphaTwin.class.getName()));

        IllegalStateException e =
                catchThrowableOfType(
                        IllegalStateException.class,
                        () -> FactoryDiscovery.load(ProcessorFactory.class, "processor", loader));

        assertThat(e.getMessage())
                .isEqualTo(
                        "several processor factories share an identifier: [alpha ("
                                + TestProcessorFactories.Alpha.class.getName()
                                + ", "
                                + TestProcessorFactories.AlphaTwin.class.getName()
                                + ", both version 1)]");
    }

    @Test
    void testTheNewestImplementationOfATypeWins(@TempDir Path dir) throws IOException {
        ClassLoader loader =
                servicesLoader(
                        dir,
                        List.of(
                                TestProcessorFactories.Alpha.class.getName(),
                                TestProcessorFactories.AlphaV2.class.getName(),
                                TestProcessorFactories.AlphaV2Dot9.class.getName()));
        FactoryDiscovery<ProcessorFactory> discovery =
                FactoryDiscovery.load(ProcessorFactory.class, "processor", loader);
        assertThat(discovery.find("alpha")).isInstanceOf(TestProcessorFactories.AlphaV2.class);
        assertThat(discovery.identifiers()).containsExactly("alpha");
        assertThat(FactoryDiscovery.compareVersions("1.10", "1.9")).isPositive();
        assertThat(FactoryDiscovery.compareVersions("2", "2.0")).isZero();
        assertThat(FactoryDiscovery.compareVersions("1.0-beta", "1.0-alpha")).isPositive();
    }

    /** A class loader whose only services file for processor factories lists {@code classes}. */
    private static ClassLoader servicesLoader(Path dir, List<String> classes) throws IOException {
        Path file = dir.resolve("services");
        Files.writeString(file, String.join("\n", classes) + "\n", StandardCharsets.UTF_8);
        URL url = file.toUri().toURL();
        return new ClassLoader(FactoryDiscoveryTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return SERVICES.equals(name)
                        ? Collections.enumeration(List.of(url))
                        : super.getResources(name);
            }
        };
    }
}
