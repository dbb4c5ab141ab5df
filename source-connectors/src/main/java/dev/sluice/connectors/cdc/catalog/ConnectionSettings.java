package dev.sluice.connectors.cdc.catalog;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a captured database is and how to log in. Serializable because the capture operator needs
 * it at run time; {@link #toString()} never shows the password.
 */
public final class ConnectionSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How long plan-time checks wait for a connection before calling the host unreachable. */
    public static final int CONNECT_TIMEOUT_SECONDS = 5;

    private final String hostname;
    private final int port;
    private final String database;
    private final String username;
    private final String password;

    public ConnectionSettings(
            String hostname, int port, String database, String username, String password) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.port = port;
        this.database = Objects.requireNonNull(database, "database");
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
    }

    public String hostname() {
        return hostname;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** {@code host:port}, for messages. */
    public String address() {
        return hostname + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConnectionSettings)) {
            return false;
        }
        ConnectionSettings c = (ConnectionSettings) o;
        return hostname.equals(c.hostname)
                && port == c.port
                && database.equals(c.database)
                && username.equals(c.username)
                && password.equals(c.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostname, port, database, username);
    }

    @Override
    public String toString() {
        return username + "@" + address() + "/" + database;
    }
}
