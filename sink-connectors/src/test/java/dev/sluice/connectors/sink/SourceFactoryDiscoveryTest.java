package dev.sluice.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.connectors.iceberg.IcebergSourceFactory;
import dev.sluice.connectors.jdbc.JdbcSourceFactory;
import dev.sluice.sdk.factory.FactoryDiscovery;
import dev.sluice.sdk.factory.SourceFactory;
import org.junit.jupiter.api.Test;

class SourceFactoryDiscoveryTest {

    @Test
    void theModuleRegistersTheJdbcAndIcebergBatchSources() {
        FactoryDiscovery<SourceFactory> sources =
                FactoryDiscovery.load(
                        SourceFactory.class,
                        "source",
                        SourceFactoryDiscoveryTest.class.getClassLoader());

        assertThat(sources.find("jdbc")).isInstanceOf(JdbcSourceFactory.class);
        assertThat(sources.find("iceberg")).isInstanceOf(IcebergSourceFactory.class);
    }
}
