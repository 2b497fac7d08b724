package io.sluice.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import io.sluice.sql.SqlStatement;

class TransactionalityTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE INDEX CONCURRENTLY i ON t (a)",
            "create unique index concurrently if not exists i on t (a)",
            "DROP INDEX CONCURRENTLY IF EXISTS i",
            "REINDEX INDEX CONCURRENTLY i",
            "REINDEX (VERBOSE) TABLE CONCURRENTLY t",
            "REINDEX DATABASE app",
            "VACUUM (ANALYZE) t",
            "CREATE DATABASE other",
            "ALTER SYSTEM SET work_mem = '64MB'",
            "ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY",
            "/* leading */ CREATE -- comment\n INDEX CONCURRENTLY i ON t (a)"})
    void statementsPostgresRefusesInATransaction_needAutocommit(String sql) {
        assertThat(Transactionality.needsAutocommit(new SqlStatement(sql, 1))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE INDEX i ON t (a)",
            "REINDEX INDEX i",
            "CLUSTER t USING i",
            "ALTER TABLE t DETACH PARTITION p",
            "ALTER TYPE mood ADD VALUE 'meh'",
            "INSERT INTO notes VALUES ('CREATE INDEX CONCURRENTLY')",
            "SELECT 'VACUUM'"})
    void ordinaryStatements_runInATransaction(String sql) {
        assertThat(Transactionality.needsAutocommit(new SqlStatement(sql, 1))).isFalse();
    }

    @Test
    void scriptConfiguration_overridesDetection() {
        Script script = new Script("V1__x.sql", "CREATE INDEX CONCURRENTLY i ON t (a);");

        assertThat(Transactionality.isTransactional(script, null)).isFalse();
        assertThat(Transactionality.isTransactional(script, new Script("V1__x.sql.conf", "executeInTransaction=true"))).isTrue();
        assertThat(Transactionality.isTransactional(new Script("V2__y.sql", "SELECT 1;"),
                new Script("V2__y.sql.conf", "executeInTransaction=false\n"))).isFalse();
    }
}
