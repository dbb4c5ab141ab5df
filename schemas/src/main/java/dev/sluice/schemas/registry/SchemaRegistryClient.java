package dev.sluice.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * What Sluice needs from a schema registry: register and resolve Avro schemas, and manage
 * compatibility.
 *
 * <p>An interface so that jobs depend on the capability, not on HTTP: {@link
 * HttpSchemaRegistryClient} talks to any Confluent-compatible registry (Sluice's own, Confluent,
 * Apicurio ccompat, Karapace). Implementations are not serializable; Flink functions keep the
 * registry URL and create a client in {@code open()}. All failures are {@link
 * SchemaRegistryException}s carrying the HTTP status and the registry's error code.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (or finds its existing registration) and
     * returns its global id.
     *
     * @throws SchemaRegistryException status 409 when incompatible with the subject, 422 when the
     *     registry rejects the schema
     */
    int register(String subject, Schema schema);

    /**
     * The schema with global id {@code id}, as used in the Confluent wire format.
     *
     * @throws SchemaRegistryException status 404 for an unknown id
     */
    Schema getById(int id);

    /** The newest version under {@code subject}, or empty when the subject does not exist. */
    Optional<RegisteredSchema> getLatest(String subject);

    /** The subjects that have live versions. */
    List<String> subjects();

    /**
     * Whether {@code schema} could be registered under {@code subject} now (against the latest
     * version, or all versions for transitive levels), with the reasons when not. A subject that
     * does not exist accepts any schema.
     */
    CompatibilityResult testCompatibility(String subject, Schema schema);

    /**
     * The compatibility level set for {@code subject} (empty when it has none and follows the
     * global level), or for {@code null} the global level.
     */
    Optional<String> getCompatibility(String subject);

    /**
     * Sets the compatibility level of {@code subject}, or for {@code null} the global level.
     *
     * @param level one of {@link CompatibilityLevel}'s names
     */
    void setCompatibility(String subject, String level);
}
