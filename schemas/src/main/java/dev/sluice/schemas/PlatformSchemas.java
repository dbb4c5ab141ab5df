package dev.sluice.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;

/**
 * Avro schemas of the records the platform itself writes.
 *
 * <p>Exists so that every writer and reader of platform topics (dead letters, replay) shares one
 * definition, kept as checked-in {@code .avsc} files under {@code dev/sluice/schemas/} where
 * reviewers see schema changes as such.
 */
public final class PlatformSchemas {

    /**
     * The value of dead-letter topics ({@code sluice.dlq.<pipeline>}): record {@code
     * dev.sluice.DeadLetter} with {@code original_key} / {@code original_value} (bytes, nullable),
     * {@code source_topic} (string, nullable), {@code source_partition} (int, nullable), {@code
     * source_offset} (long, nullable), {@code processor_id}, {@code error_class}, {@code
     * error_message} (strings), {@code failed_at_ms} (long) and {@code attempt} (int). Nullable
     * fields are {@code ["null", T]} unions defaulting to null.
     */
    public static final Schema DEAD_LETTER = load("DeadLetter.avsc");

    private PlatformSchemas() {}

    private static Schema load(String resource) {
        try (InputStream in = PlatformSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "platform schema resource dev/sluice/schemas/"
                                + resource
                                + " is missing from the classpath");
            }
            return AvroSchemas.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read platform schema " + resource, e);
        }
    }
}
