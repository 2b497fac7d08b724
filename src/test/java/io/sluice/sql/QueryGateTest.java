package io.sluice.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.sluice.error.InvalidRequest;
import io.sluice.sql.QueryGate.Kind;
import io.sluice.sql.QueryGate.Use;

/** The one gate for query texts, as an attacker tries it: statements that are no query, disguised as one or not. */
class QueryGateTest {

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM orders WHERE id = $1", "WITH t AS (SELECT 1) SELECT * FROM t", "VALUES (1), (2)",
        "TABLE orders", "(SELECT 1) UNION (SELECT 2)", "SELECT count(*) FILTER (WHERE total > 0) FROM orders;",
        "SELECT payload ->> 'status' FROM events", "SELECT U&\"t\\0061ble\".id FROM U&\"t\\0061ble\""})
    void queriesThatRead_passEverywhere(String query) {
        assertThat(QueryGate.check(query, "plans.queries[0]", Use.LIVE)).isEqualTo(Kind.READS);
        assertThat(QueryGate.check(query, "plans.queries[0]", Use.PREPARED)).isEqualTo(Kind.READS);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            EXECUTE "S_3"(query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity', true, true, '')::text) | EXECUTE is not a query
            PREPARE p AS SELECT 1                                             | PREPARE is not a query
            DECLARE c CURSOR FOR SELECT 1                                     | DECLARE is not a query
            CALL purge()                                                      | CALL is not a query
            DO $$ BEGIN PERFORM pg_terminate_backend(1); END $$               | DO is not a query
            COPY orders TO STDOUT                                             | COPY is not a query
            SET statement_timeout = 0                                         | SET is not a query
            LOCK pg_database                                                  | LOCK is not a query
            EXPLAIN ANALYZE DELETE FROM orders                                | EXPLAIN is not a query
            SELECT 1; SELECT pg_terminate_backend(1)                          | PostgreSQL's grammar does not read it as one statement
            SELECT 1 AS €$$; COMMIT; DELETE FROM orders; SELECT 1 AS €$$      | PostgreSQL's grammar does not read it as one statement
            SELECT * INTO stolen FROM orders                                  | SELECT ... INTO creates a table
            (EXECUTE S_1)                                                     | PostgreSQL's grammar does not read it as one statement
            """)
    void statementsThatAreNoQuery_areRefusedEverywhere_namingTheSource(String text, String reason) {
        for (Use use : Use.values()) {
            assertThatThrownBy(() -> QueryGate.check(text, "plans.queries[5]", use)).isInstanceOf(InvalidRequest.class)
                    .hasMessageStartingWith("field 'plans.queries[5]': " + reason);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            INSERT INTO orders (total) VALUES ($1)                            | INSERT writes: only queries that read reach a live server
            UPDATE orders SET total = 0                                       | UPDATE writes: only queries that read reach a live server
            DELETE FROM orders                                                | DELETE writes: only queries that read reach a live server
            WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d        | its WITH writes (a data-modifying statement in it)
            SELECT * FROM orders FOR UPDATE                                   | FOR UPDATE or FOR SHARE locks the rows it reads
            MERGE INTO orders o USING src s ON o.id = s.id WHEN MATCHED THEN DELETE | PostgreSQL's grammar does not read it as one statement
            """)
    void writes_arePreparedInScratchOnly_neverSentToALiveServer(String text, String liveReason) {
        assertThatThrownBy(() -> QueryGate.check(text, "queriesFrom:orders.sql", Use.LIVE)).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'queriesFrom:orders.sql': " + liveReason);
        assertThat(QueryGate.check(text, "queriesFrom:orders.sql", Use.PREPARED)).isIn(Kind.WRITES, Kind.READS);
    }
}
