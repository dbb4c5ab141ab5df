package dev.sluice.testing.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** The few JDBC chores both servers share. */
final class Sql {
    private Sql() {}

    static Connection connect(String url, String user, String password) throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    static void execute(String url, String user, String password, String... statements) {
        try (Connection c = connect(url, user, password);
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "SQL failed on " + url + ": " + e.getMessage() + " (" + e.getSQLState() + ")",
                    e);
        }
    }
}
