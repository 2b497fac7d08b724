package io.sluice.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SqlTextTest {

    private static List<String> texts(String sql) {
        return SqlText.split(sql).stream().map(SqlStatement::text).toList();
    }

    @Test
    void plainStatements_areSplitAtSemicolons_withTheirStartLines() {
        List<SqlStatement> statements = SqlText.split("CREATE TABLE a (id int);\n\n-- note\nINSERT INTO a VALUES (1);\n");

        assertThat(statements).extracting(SqlStatement::text).containsExactly("CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)");
        assertThat(statements).extracting(SqlStatement::line).containsExactly(1, 4);
    }

    @Test
    void semicolonsInsideStringsIdentifiersAndComments_doNotSplit() {
        assertThat(texts("INSERT INTO t VALUES ('a;b', 'it''s;');\nSELECT \"we;ird\" FROM t; /* x; /* nested; */ y; */ SELECT 2;"))
                .containsExactly("INSERT INTO t VALUES ('a;b', 'it''s;')", "SELECT \"we;ird\" FROM t", "SELECT 2");
    }

    @Test
    void escapeStrings_honourBackslashes() {
        assertThat(texts("SELECT E'a\\';b'; SELECT 'c\\'; SELECT 3;"))
                .containsExactly("SELECT E'a\\';b'", "SELECT 'c\\'", "SELECT 3");
    }

    @Test
    void dollarQuotedBodies_areOneStatement() {
        String function = """
                CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                  PERFORM 1; RETURN NEW;
                END $body$;
                DO $$ BEGIN RAISE NOTICE 'x;'; END $$;
                SELECT $1;
                """;

        assertThat(texts(function)).hasSize(3);
        assertThat(texts(function).get(0)).endsWith("END $body$");
        assertThat(texts(function).get(1)).startsWith("DO $$");
    }

    @Test
    void sqlStandardFunctionBodies_keepTheirInnerSemicolons() {
        String sql = """
                CREATE FUNCTION total(a int, b int) RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                  SELECT CASE WHEN a > b THEN a ELSE b END;
                  SELECT a + b;
                END;
                SELECT 1;
                """;

        assertThat(texts(sql)).hasSize(2);
        assertThat(texts(sql).get(0)).endsWith("END");
    }

    @Test
    void copyFromStdin_carriesItsDataLines() {
        String sql = "COPY t (a, b) FROM stdin;\n1\tx;y\n2\tz\n\\.\nSELECT 1;\n";

        List<SqlStatement> statements = SqlText.split(sql);

        assertThat(statements).hasSize(2);
        assertThat(statements.get(0).text()).isEqualTo("COPY t (a, b) FROM stdin;\n1\tx;y\n2\tz\n\\.");
        assertThat(statements.get(1).line()).isEqualTo(5);
    }

    @Test
    void lastStatementWithoutSemicolon_isKept_andCommentOnlyTextIsNothing() {
        assertThat(texts("SELECT 1;\nSELECT 2")).containsExactly("SELECT 1", "SELECT 2");
        assertThat(texts("-- only a comment\n/* and this */\n")).isEmpty();
    }

    @Test
    void aDollarInsideAnIdentifierOfNonAsciiCharacters_startsNoDollarQuote_asPostgresqlReadsIt() {
        assertThat(texts("SELECT 1 AS €$$; COMMIT; DELETE FROM orders WHERE id=1; SELECT 1 AS €$$"))
                .containsExactly("SELECT 1 AS €$$", "COMMIT", "DELETE FROM orders WHERE id=1", "SELECT 1 AS €$$");
        assertThat(texts("SELECT 'x' AS ñ$$; SELECT 2")).containsExactly("SELECT 'x' AS ñ$$", "SELECT 2");
        assertThat(texts("SELECT ñE'a\\'; SELECT 2")).as("an E after an identifier character makes no escape string")
                .containsExactly("SELECT ñE'a\\'", "SELECT 2");
    }

    @Test
    void beginAtomic_opensABodyOnlyInCreateFunctionOrProcedure() {
        assertThat(texts("SELECT begin.atomic FROM (SELECT 1 AS atomic) AS begin; COMMIT; DELETE FROM orders WHERE id=2; SELECT 1 AS end"))
                .containsExactly("SELECT begin.atomic FROM (SELECT 1 AS atomic) AS begin", "COMMIT", "DELETE FROM orders WHERE id=2",
                        "SELECT 1 AS end");
        assertThat(texts("SELECT 1 AS begin /* x */ ; SELECT 2 AS atomic; SELECT 3 AS end;")).hasSize(3);
        assertThat(texts("CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); DELETE FROM t; END; SELECT 1"))
                .hasSize(2);
    }

    @Test
    void separatorInside_findsTheSemicolonPostgresqlWouldSplitAt_butNotOneAtTheEnd() {
        assertThat(SqlText.separatorInside("SELECT count(*) FROM orders")).isEqualTo(-1);
        assertThat(SqlText.separatorInside("SELECT 'a;b', \"c;d\" FROM t; -- done\n")).isEqualTo(-1);
        assertThat(SqlText.separatorInside("SELECT 1 AS €$$; COMMIT; SELECT 1 AS €$$")).isEqualTo(15);
        assertThat(SqlText.separatorInside("SELECT $x$;$x$; SELECT 2")).isEqualTo(14);
    }
    @Test
    void unicodeEscapes_areDecodedAsPostgresReadsThem_linesKept() {
        assertThat(SqlText.decoded("SELECT U&\"pg_termin\\0061te_backend\"(1)")).isEqualTo("SELECT \"pg_terminate_backend\"(1)");
        assertThat(SqlText.decoded("SELECT u&'d\\0061t\\+000061 it''s'")).isEqualTo("SELECT 'data it''s'");
        assertThat(SqlText.decoded("SELECT U&'d!0061t!!a' UESCAPE '!'")).isEqualTo("SELECT 'dat!a'");
        assertThat(SqlText.decoded("SELECT U&\"a\\0022b\"")).as("a quote it decodes to is doubled").isEqualTo("SELECT \"a\"\"b\"");
        assertThat(SqlText.decoded("SELECT U&'\\D83D\\DE00'")).isEqualTo("SELECT '\uD83D\uDE00'");
        assertThat(SqlText.decoded("SELECT U&'x'\n  UESCAPE '#', 2")).isEqualTo("SELECT 'x'\n, 2");
        assertThat(SqlText.decoded("SELECT MENU&'x', 'U&''y''', \"U&\" -- U&'z'"))
                .as("only a word U followed by & opens an escape; strings, identifiers and comments stay")
                .isEqualTo("SELECT MENU&'x', 'U&''y''', \"U&\" -- U&'z'");
    }
}
