package dev.sluice.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.connectors.iceberg.IcebergSinkFactory;
import dev.sluice.connectors.jdbc.JdbcSinkFactory;
import dev.sluice.sdk.factory.FactoryDiscovery;
import dev.sluice.sdk.factory.SinkFactory;
import org.junit.jupiter.api.Test;

class SinkFactoryDiscoveryTest {

    @Test
    void theModuleRegistersTheIcebergAndJdbcSinks() {
        FactoryDiscovery<SinkFactory> sinks =
                FactoryDiscovery.load(
                        SinkFactory.class, "sink", SinkFactoryDiscoveryTest.class.getClassLoader());

        assertThat(sinks.find("iceberg")).isInstanceOf(IcebergSinkFactory.class);
        assertThat(sinks.find("jdbc")).isInstanceOf(JdbcSinkFactory.class);
    }
}
