package dev.sluice.testing.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class DatabaseServersTest {

    @Test
    void postgresIsLogicalChecksPasswordsAndSurvivesARestart() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            pg.createDatabase("shop");
            pg.createReplicationRole("cdc", "secret");
            pg.execute("shop", "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            assertThat(single(pg.connectAsSuperuser("shop"), "SHOW wal_level"))
                    .isEqualTo("logical");
            assertThat(single(pg.connect("shop", "cdc", "secret"), "SELECT current_user"))
                    .isEqualTo("cdc");
            assertThatThrownBy(() -> pg.connect("shop", "cdc", "wrong").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");

            pg.stop();
            assertThatThrownBy(() -> pg.connectAsSuperuser("shop").close())
                    .isInstanceOf(SQLException.class);
            pg.restart();
            assertThat(single(pg.connectAsSuperuser("shop"), "SELECT count(*) FROM t"))
                    .isEqualTo("1");
        }
    }

    @Test
    void mariaDbHasARowBinlogAndACaptureUser() throws Exception {
        assertThat(MariaDbServer.available())
                .as("mariadbd installed (apt-get install mariadb-server) or Docker")
                .isTrue();
        try (MariaDbServer db = MariaDbServer.start()) {
            db.createDatabase("shop");
            db.createCaptureUser("cdc", "secret", "shop");
            db.execute("shop", "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
            assertThat(single(db.connectAsRoot(""), "SELECT @@binlog_format")).isEqualTo("ROW");
            assertThat(single(db.connect("shop", "cdc", "secret"), "SELECT count(*) FROM t"))
                    .isEqualTo("1");

            db.stop();
            db.restart();
            assertThat(single(db.connectAsRoot("shop"), "SELECT count(*) FROM t")).isEqualTo("1");
        }
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (connection;
                Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
