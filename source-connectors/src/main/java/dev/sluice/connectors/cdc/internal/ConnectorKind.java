package dev.sluice.connectors.cdc.internal;

import org.apache.flink.annotation.Internal;

/** Which Debezium connector a capture runs; MySQL and MariaDB share the binlog machinery. */
@Internal
public enum ConnectorKind {
    POSTGRES("io.debezium.connector.postgresql.PostgresConnector", "PostgreSQL"),
    MYSQL("io.debezium.connector.mysql.MySqlConnector", "MySQL"),
    MARIADB("io.debezium.connector.mariadb.MariaDbConnector", "MariaDB");

    private final String connectorClass;
    private final String product;

    ConnectorKind(String connectorClass, String product) {
        this.connectorClass = connectorClass;
        this.product = product;
    }

    /** Debezium's connector class. */
    public String connectorClass() {
        return connectorClass;
    }

    /** The database product, for messages. */
    public String product() {
        return product;
    }

    /** Whether the connector keeps a schema history (binlog connectors do). */
    public boolean historized() {
        return this != POSTGRES;
    }
}
