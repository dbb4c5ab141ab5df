package dev.sluice.controller.lineage;

import java.util.List;
import java.util.Objects;

/**
 * Data at rest that pipelines read or write, as a vertex of the lineage graph: a Kafka topic
 * ({@code topic:<name>}), an Iceberg table ({@code iceberg:<db.table>}), a JDBC table ({@code
 * jdbc:<table>}), or — for source and sink types Sluice cannot name a dataset for — the node itself
 * ({@code source:<pipeline>.<node>}, {@code sink:<pipeline>.<node>}).
 *
 * <p>Datasets are what join pipelines into one graph: a topic one pipeline's sink writes is the
 * same vertex another pipeline's source reads.
 *
 * @param id {@code <kind>:<name>}
 * @param kind {@code topic}, {@code iceberg}, {@code jdbc}, {@code source} or {@code sink}
 * @param name the topic or table name (for {@code source}/{@code sink}: {@code <pipeline>.<node>})
 * @param fields every field any pipeline reads from or writes to it, in first-seen order
 */
public record LineageDataset(String id, String kind, String name, List<String> fields) {

    public LineageDataset {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
    }

    /** The id of the dataset of {@code kind} named {@code name}. */
    public static String idOf(String kind, String name) {
        return kind + ":" + name;
    }
}
