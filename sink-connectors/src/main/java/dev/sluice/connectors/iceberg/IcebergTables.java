package dev.sluice.connectors.iceberg;

import java.util.Map;
import java.util.OptionalLong;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * Questions about the platform's Iceberg tables that the controller asks without a Flink job: the
 * current snapshot of a table, polled to start a batch pipeline whose trigger is {@code {"on":
 * "iceberg-snapshot", "table": "db.name"}} when an upstream table gets a new snapshot.
 */
public final class IcebergTables {

    private IcebergTables() {}

    /**
     * The id of the current snapshot of {@code table} ({@code namespace.name}) in the catalog of
     * {@code catalogProperties}; empty when the table does not exist or has no snapshot yet. Loads
     * the table's metadata afresh on every call (no caching), so successive calls see new commits.
     *
     * @throws IllegalArgumentException when {@code table} is not a table name or the catalog
     *     properties are incomplete
     * @throws RuntimeException (Iceberg's) when the catalog cannot be read
     */
    public static OptionalLong currentSnapshotId(
            Map<String, String> catalogProperties, String table) {
        if (table == null || !IcebergCatalogs.isValidTableName(table)) {
            throw new IllegalArgumentException(
                    "'" + table + "' is not a table name; expected namespace.name");
        }
        TableIdentifier id = IcebergCatalogs.identifier(table);
        Catalog catalog = IcebergCatalogs.loader(catalogProperties).loadCatalog();
        try {
            if (!catalog.tableExists(id)) {
                return OptionalLong.empty();
            }
            Snapshot current = catalog.loadTable(id).currentSnapshot();
            return current == null ? OptionalLong.empty() : OptionalLong.of(current.snapshotId());
        } catch (NoSuchTableException e) {
            return OptionalLong.empty(); // dropped between the two calls
        } finally {
            IcebergSinkFactory.closeQuietly(catalog);
        }
    }
}
