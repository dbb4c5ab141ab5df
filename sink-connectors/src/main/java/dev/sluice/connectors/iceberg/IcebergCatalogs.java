package dev.sluice.connectors.iceberg;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * The platform's Iceberg catalog, from the properties the platform hands out ({@code type=hadoop}
 * with a {@code warehouse}, {@code type=rest} with a {@code uri}, or any {@code catalog-impl}), as
 * a serializable {@link CatalogLoader} that Flink tasks on any cluster can use.
 */
public final class IcebergCatalogs {

    /** The name Sluice gives the platform's catalog inside jobs. */
    public static final String CATALOG_NAME = "sluice";

    private static final Pattern TABLE_NAME =
            Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_][A-Za-z0-9_-]*)+");

    private IcebergCatalogs() {}

    /**
     * A loader for the catalog described by {@code properties}.
     *
     * @throws IllegalArgumentException with what is missing or unknown
     */
    public static CatalogLoader loader(Map<String, String> properties) {
        if (properties == null || properties.isEmpty()) {
            throw new IllegalArgumentException(
                    "the platform has no Iceberg catalog configured (catalog properties 'type'"
                            + " and 'warehouse' or 'uri')");
        }
        Map<String, String> props = new HashMap<>(properties);
        String impl = props.get(CatalogProperties.CATALOG_IMPL);
        String type = props.get(CatalogUtil.ICEBERG_CATALOG_TYPE);
        Configuration hadoop = new Configuration();
        if (impl != null) {
            props.remove(CatalogUtil.ICEBERG_CATALOG_TYPE);
            return CatalogLoader.custom(CATALOG_NAME, props, hadoop, impl);
        }
        if (type == null || CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP.equals(type)) {
            if (!props.containsKey(CatalogProperties.WAREHOUSE_LOCATION)) {
                throw new IllegalArgumentException(
                        "the platform's Hadoop Iceberg catalog has no 'warehouse' directory");
            }
            return CatalogLoader.hadoop(CATALOG_NAME, hadoop, props);
        }
        if (CatalogUtil.ICEBERG_CATALOG_TYPE_REST.equals(type)) {
            if (!props.containsKey(CatalogProperties.URI)) {
                throw new IllegalArgumentException(
                        "the platform's REST Iceberg catalog has no 'uri'");
            }
            return CatalogLoader.rest(CATALOG_NAME, hadoop, props);
        }
        if (CatalogUtil.ICEBERG_CATALOG_TYPE_HIVE.equals(type)) {
            return CatalogLoader.hive(CATALOG_NAME, hadoop, props);
        }
        throw new IllegalArgumentException(
                "unknown Iceberg catalog type '"
                        + type
                        + "'; supported: hadoop, rest, hive, or a 'catalog-impl' class");
    }

    /** Whether {@code name} is a table name users may write: {@code namespace.table}. */
    public static boolean isValidTableName(String name) {
        return TABLE_NAME.matcher(name).matches();
    }

    /** {@code db.name} (or {@code a.b.name}) as an identifier: the last part is the table. */
    public static TableIdentifier identifier(String name) {
        String[] parts = name.split("\\.");
        String[] namespace = new String[parts.length - 1];
        System.arraycopy(parts, 0, namespace, 0, namespace.length);
        return TableIdentifier.of(Namespace.of(namespace), parts[parts.length - 1]);
    }
}
