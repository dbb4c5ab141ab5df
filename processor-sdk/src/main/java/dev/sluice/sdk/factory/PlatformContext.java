package dev.sluice.sdk.factory;

import dev.sluice.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The platform services a node may use while it is planned (not while it runs): where Kafka and the
 * schema registry are, and a registry client to read schemas with. Operators must not capture this
 * object; they get plain strings (bootstrap servers, registry URL) instead, so a job can run on a
 * remote Flink cluster.
 */
@PublicEvolving
public interface PlatformContext {

    /** Kafka {@code bootstrap.servers}. */
    String kafkaBootstrapServers();

    /** Extra Kafka client properties every client of the platform must use (security, ...). */
    Map<String, String> kafkaClientProperties();

    /** Base URL of the Confluent-compatible schema registry. */
    String schemaRegistryUrl();

    /** A registry client for plan-time lookups (cached). */
    SchemaRegistryClient schemaRegistry();

    /**
     * The platform's Iceberg catalog, as Iceberg catalog properties ({@code type} = {@code hadoop}
     * with a {@code warehouse} directory, or {@code rest} with a {@code uri}). The catalog belongs
     * to the platform, not to a pipeline, so every sink and batch source sees the same tables.
     * Empty when the platform has no catalog.
     */
    default Map<String, String> icebergCatalog() {
        return Map.of();
    }
}
