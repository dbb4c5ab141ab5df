package dev.sluice.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JdbcDialectTest {

    @Test
    void postgresUpsertsWithOnConflictAndQuotesIdentifiers() {
        JdbcDialect pg = JdbcDialect.POSTGRES;
        String table = pg.qualified("public", "order\"s");

        assertThat(pg.upsert(table, List.of("id", "name", "qty"), List.of("id")))
                .isEqualTo(
                        "INSERT INTO \"public\".\"order\"\"s\" (\"id\", \"name\", \"qty\") VALUES"
                                + " (?, ?, ?) ON CONFLICT (\"id\") DO UPDATE SET \"name\" ="
                                + " EXCLUDED.\"name\", \"qty\" = EXCLUDED.\"qty\"");
        assertThat(pg.upsert(table, List.of("a", "b"), List.of("a", "b")))
                .endsWith("ON CONFLICT (\"a\", \"b\") DO NOTHING");
        assertThat(pg.delete(table, List.of("a", "b")))
                .isEqualTo("DELETE FROM \"public\".\"order\"\"s\" WHERE \"a\" = ? AND \"b\" = ?");
    }

    @Test
    void mariaDbUpsertsWithOnDuplicateKeyUpdate() {
        JdbcDialect maria = JdbcDialect.MARIADB;
        String table = maria.qualified("shop", "items");

        assertThat(maria.upsert(table, List.of("id", "name"), List.of("id")))
                .isEqualTo(
                        "INSERT INTO `shop`.`items` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY"
                                + " UPDATE `name` = VALUES(`name`)");
        assertThat(maria.upsert(table, List.of("id"), List.of("id")))
                .endsWith("ON DUPLICATE KEY UPDATE `id` = `id`");
    }

    @Test
    void urlsChooseTheDialectAndMysqlIsServedByMariaDb() {
        assertThat(JdbcDialect.of("jdbc:postgresql://h/db")).isEqualTo(JdbcDialect.POSTGRES);
        assertThat(JdbcDialect.of("jdbc:mariadb://h/db")).isEqualTo(JdbcDialect.MARIADB);
        assertThat(JdbcDialect.of("jdbc:mysql://h:3306/db")).isEqualTo(JdbcDialect.MARIADB);
        assertThat(JdbcDialect.of("jdbc:oracle:thin:@h")).isNull();
        assertThat(JdbcDialect.MARIADB.driverUrl("jdbc:mysql://h:3306/db?x=1"))
                .isEqualTo("jdbc:mariadb://h:3306/db?x=1");
        assertThat(JdbcSinkFactory.mask("jdbc:postgresql://h/db?user=a&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=****&ssl=true");
    }
}
