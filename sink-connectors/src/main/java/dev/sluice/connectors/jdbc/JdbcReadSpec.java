package dev.sluice.connectors.jdbc;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Everything a running {@code jdbc} source needs, fixed when the pipeline is planned: how to
 * connect, what to select, the columns and their Avro schema. Shipped with the job (the password
 * too, as for the {@code jdbc} sink: it never appears in messages or logs).
 */
final class JdbcReadSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How long a connection attempt of a running job may take. */
    static final Duration RUN_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long one round trip of a running job may take: long, since the first fetch of a query
     * waits for the database's whole plan (a sort, an aggregate) to produce its first rows.
     */
    static final Duration RUN_SOCKET_TIMEOUT = Duration.ofHours(12);

    final String nodeId;
    final JdbcDialect dialect;
    final String url;
    final String username;
    final String password;
    final String what;
    final JdbcQuery query;
    final List<JdbcSourceColumn> columns;
    final String valueSchemaJson;
    final int fetchSize;
    final int splitCount;

    JdbcReadSpec(
            String nodeId,
            JdbcDialect dialect,
            String url,
            String username,
            String password,
            String what,
            JdbcQuery query,
            List<JdbcSourceColumn> columns,
            String valueSchemaJson,
            int fetchSize,
            int splitCount) {
        this.nodeId = nodeId;
        this.dialect = dialect;
        this.url = url;
        this.username = username;
        this.password = password;
        this.what = what;
        this.query = query;
        this.columns = List.copyOf(columns);
        this.valueSchemaJson = valueSchemaJson;
        this.fetchSize = fetchSize;
        this.splitCount = splitCount;
    }

    /**
     * A read-only connection for a running job; on PostgreSQL without auto-commit, so that the
     * fetch size makes the driver stream through a cursor instead of loading the whole result.
     */
    Connection connect() throws SQLException {
        Connection c =
                dialect.connect(url, username, password, RUN_CONNECT_TIMEOUT, RUN_SOCKET_TIMEOUT);
        try {
            c.setReadOnly(true);
            c.setAutoCommit(false);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
