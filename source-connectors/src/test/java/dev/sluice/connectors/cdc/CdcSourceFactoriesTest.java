package dev.sluice.connectors.cdc;

import static dev.sluice.connectors.cdc.CdcTestContext.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.sdk.config.ConfigOption;
import dev.sluice.sdk.config.ConfigValidationException;
import dev.sluice.sdk.factory.FactoryDiscovery;
import dev.sluice.sdk.factory.SourceFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Option checks that need no database: they fail before anything is contacted. */
class CdcSourceFactoriesTest {

    private static final PostgresCdcSourceFactory PG = new PostgresCdcSourceFactory();
    private static final MySqlCdcSourceFactory MY = new MySqlCdcSourceFactory();

    private static ConfigValidationException error(SourceFactory factory, Object... extra) {
        Map<String, Object> config =
                config(
                        "hostname",
                        "127.0.0.1",
                        "port",
                        1,
                        "database",
                        "d",
                        "username",
                        "u",
                        "password",
                        "p",
                        "tables",
                        List.of("t"));
        config.putAll(config(extra));
        return catchThrowableOfType(
                ConfigValidationException.class,
                () -> new CdcTestContext(factory, "http://127.0.0.1:9", "src", config).plan());
    }

    @Test
    void testFactoriesAreDiscoveredWithTheirOptions() {
        FactoryDiscovery<SourceFactory> discovery =
                FactoryDiscovery.load(SourceFactory.class, "source", getClass().getClassLoader());
        assertThat(discovery.find("postgres-cdc")).isInstanceOf(PostgresCdcSourceFactory.class);
        assertThat(discovery.find("mysql-cdc")).isInstanceOf(MySqlCdcSourceFactory.class);
        assertThat(PG.requiredOptions())
                .extracting(ConfigOption::key)
                .containsExactlyInAnyOrder(
                        "hostname", "database", "username", "password", "tables");
        assertThat(PG.optionalOptions())
                .extracting(ConfigOption::key)
                .containsExactlyInAnyOrder(
                        "port",
                        "topic.prefix",
                        "keys",
                        "slot.name",
                        "publication.name",
                        "heartbeat.interval",
                        "snapshot.mode");
        assertThat(MY.optionalOptions())
                .extracting(ConfigOption::key)
                .containsExactlyInAnyOrder(
                        "port",
                        "topic.prefix",
                        "keys",
                        "server.id",
                        "heartbeat.interval",
                        "snapshot.mode");
    }

    @Test
    void testInvalidOptionsPointAtTheirKey() {
        ConfigValidationException e = error(PG, "port", 70000);
        assertThat(e.pointer()).isEqualTo("/sources/0/config/port");
        assertThat(e.getMessage())
                .isEqualTo(
                        "/sources/0/config/port: expected a port between 1 and 65535, got 70000");

        e = error(PG, "slot.name", "Bad-Slot");
        assertThat(e.pointer()).isEqualTo("/sources/0/config/slot.name");
        assertThat(e.getMessage()).contains("'Bad-Slot' is not a valid replication slot name");

        e = error(PG, "topic.prefix", "a b");
        assertThat(e.pointer()).isEqualTo("/sources/0/config/topic.prefix");

        e = error(PG, "heartbeat.interval", "PT0S");
        assertThat(e.pointer()).isEqualTo("/sources/0/config/heartbeat.interval");

        e = error(PG, "keys", Map.of("public.t", "id"));
        assertThat(e.pointer()).isEqualTo("/sources/0/config/keys/public.t");
        assertThat(e.getMessage())
                .isEqualTo("/sources/0/config/keys/public.t: expected an array of column names");

        e = error(MY, "server.id", 0L);
        assertThat(e.pointer()).isEqualTo("/sources/0/config/server.id");

        e = error(MY, "snapshot.mode", "sometimes");
        assertThat(e.pointer()).isEqualTo("/sources/0/config/snapshot.mode");
        assertThat(e.getMessage()).contains("one of initial, never");
    }

    @Test
    void testAnUnreachableHostIsA400OnHostname() {
        ConfigValidationException e = error(MY);
        assertThat(e.pointer()).isEqualTo("/sources/0/config/hostname");
        assertThat(e.getMessage()).startsWith("cannot connect to the server at 127.0.0.1:1");
    }
}
