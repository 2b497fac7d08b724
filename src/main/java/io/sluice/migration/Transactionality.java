package io.sluice.migration;

import java.util.List;
import java.util.Properties;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Pattern;
import io.sluice.sql.SqlText;
import io.sluice.sql.SqlStatement;

/**
 * Decides whether a script runs inside a transaction. PostgreSQL refuses some statements in a transaction block
 * (they fail with "cannot run inside a transaction block"); a script holding one runs statement by statement in
 * autocommit, as Flyway does. Sluice decides this itself and tells Flyway through a script configuration, so the
 * plan it reports and what Flyway does can never disagree.
 */
public final class Transactionality {

    private static final List<Pattern> OUTSIDE_TRANSACTION = List.of(
            Pattern.compile("^CREATE (UNIQUE )?INDEX CONCURRENTLY\\b.*"),
            Pattern.compile("^DROP INDEX CONCURRENTLY\\b.*"),
            Pattern.compile("^REINDEX\\b.*\\bCONCURRENTLY\\b.*"),
            Pattern.compile("^REINDEX (\\(.*\\) )?(DATABASE|SYSTEM)\\b.*"),
            Pattern.compile("^VACUUM\\b.*"),
            Pattern.compile("^CLUSTER( VERBOSE)?$"),
            Pattern.compile("^(CREATE|DROP) (DATABASE|TABLESPACE)\\b.*"),
            Pattern.compile("^ALTER DATABASE \\S+ SET TABLESPACE\\b.*"),
            Pattern.compile("^ALTER SYSTEM\\b.*"),
            Pattern.compile("^ALTER TABLE\\b.*\\bDETACH PARTITION\\b.*\\bCONCURRENTLY$"),
            Pattern.compile("^(CREATE|DROP) SUBSCRIPTION\\b.*"),
            Pattern.compile("^(COMMIT|ROLLBACK) PREPARED\\b.*"),
            Pattern.compile("^DISCARD ALL$"));

    private Transactionality() {
    }

    /** Whether PostgreSQL refuses this statement inside a transaction block. */
    public static boolean needsAutocommit(SqlStatement statement) {
        String normalized = statement.normalized();
        return OUTSIDE_TRANSACTION.stream().anyMatch(pattern -> pattern.matcher(normalized).matches());
    }

    /**
     * Whether {@code script} runs in a transaction: as its {@code .sql.conf} says ({@code executeInTransaction}),
     * else true unless one of its statements needs autocommit.
     */
    public static boolean isTransactional(Script script, Script config) {
        if (config != null) {
            String declared = scriptConfig(config).getProperty("executeInTransaction");
            if (declared != null) {
                return Boolean.parseBoolean(declared.trim());
            }
        }
        return SqlText.split(script.content()).stream().noneMatch(Transactionality::needsAutocommit);
    }

    static Properties scriptConfig(Script config) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(config.content()));
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return properties;
    }
}
