package io.sluice.lint;

import java.util.List;

import io.sluice.lint.rules.AddingFieldWithVolatileDefault;
import io.sluice.lint.rules.AddingForeignKeyConstraint;
import io.sluice.lint.rules.AddingRequiredField;
import io.sluice.lint.rules.AddingStoredGeneratedColumn;
import io.sluice.lint.rules.AddingSerialPrimaryKeyField;
import io.sluice.lint.rules.BanCluster;
import io.sluice.lint.rules.BanDropObject;
import io.sluice.lint.rules.RequireConcurrentPartitionDetach;
import io.sluice.lint.rules.BanDuplicateColumnAssignments;
import io.sluice.lint.rules.BanUncommittedTransaction;
import io.sluice.lint.rules.BanCharField;
import io.sluice.lint.rules.RenamingObject;
import io.sluice.lint.rules.BanSetSchema;
import io.sluice.lint.rules.BanAlterIdentity;
import io.sluice.lint.rules.BanDropDefault;
import io.sluice.lint.rules.BanDropConstraint;
import io.sluice.lint.rules.BanConcurrentIndexInTransaction;
import io.sluice.lint.rules.BanDomainConstraint;
import io.sluice.lint.rules.BanDropColumn;
import io.sluice.lint.rules.BanDropDatabase;
import io.sluice.lint.rules.BanDropNotNull;
import io.sluice.lint.rules.BanDropSchema;
import io.sluice.lint.rules.BanDropTable;
import io.sluice.lint.rules.BanTruncateCascade;
import io.sluice.lint.rules.BanVacuumFull;
import io.sluice.lint.rules.ChangingColumnType;
import io.sluice.lint.rules.ConstraintMissingNotValid;
import io.sluice.lint.rules.DisallowedUniqueConstraint;
import io.sluice.lint.rules.EnumValueOrdering;
import io.sluice.lint.rules.IdentifierTooLong;
import io.sluice.lint.rules.NonstandardStrings;
import io.sluice.lint.rules.PreferBigintOverInt;
import io.sluice.lint.rules.PreferIdentity;
import io.sluice.lint.rules.PreferRobustStatements;
import io.sluice.lint.rules.PreferTextField;
import io.sluice.lint.rules.PreferTimestamptz;
import io.sluice.lint.rules.RenamingColumn;
import io.sluice.lint.rules.RenamingTable;
import io.sluice.lint.rules.RequireConcurrentIndexCreation;
import io.sluice.lint.rules.RequireConcurrentIndexDeletion;
import io.sluice.lint.rules.RequireConcurrentReindex;
import io.sluice.lint.rules.RequireTimeoutSettings;
import io.sluice.lint.rules.ServerWideStatement;
import io.sluice.lint.rules.SettingNotNullableField;
import io.sluice.lint.rules.TransactionNesting;

/** Every lint rule, in the order findings are listed for one statement. */
public final class Rules {

    /** Reported when a {@code -- sluice:ignore} comment suppresses nothing. */
    public static final String UNUSED_SUPPRESSION = "unused-suppression";
    /** Reported (as info) for a statement JSqlParser cannot read; the rules still check it. */
    public static final String UNPARSED_STATEMENT = "unparsed-statement";

    private Rules() {
    }

    /**
     * What a finding's rule is, as reports describe it: every rule of {@link #all()}, then the two that no rule class
     * checks ({@value #UNUSED_SUPPRESSION}, {@value #UNPARSED_STATEMENT}). The one list SARIF's driver, the README's
     * rule table and its count are made from.
     */
    public record Description(String id, String summary, String why, String fix, LintSeverity defaultSeverity) {
    }

    /** Every rule a finding may name, described; see {@link Description}. */
    public static List<Description> described() {
        List<Description> described = new java.util.ArrayList<>();
        for (Rule rule : all()) {
            described.add(new Description(rule.id(), rule.summary(), rule.why(), rule.fix(), rule.defaultSeverity()));
        }
        described.add(new Description(UNUSED_SUPPRESSION, "A -- sluice:ignore comment suppresses nothing.",
                "A stale suppression hides the next real problem of that kind.", "Remove it.", LintSeverity.WARNING));
        described.add(new Description(UNPARSED_STATEMENT, "PostgreSQL's grammar does not accept this statement; rules checked its keywords.",
                "A statement the grammar does not accept is not PostgreSQL, or a form the grammar port lacks that could hide a construct a"
                        + " rule looks for.", "Fix the statement when PostgreSQL rejects it too; otherwise report the form.", LintSeverity.OFF));
        return List.copyOf(described);
    }

    public static List<Rule> all() {
        List<Rule> rules = new java.util.ArrayList<>(List.of(
                new AddingFieldWithVolatileDefault(), new AddingStoredGeneratedColumn(), new AddingRequiredField(), new SettingNotNullableField(),
                new AddingForeignKeyConstraint(), new ConstraintMissingNotValid(), new DisallowedUniqueConstraint(),
                new AddingSerialPrimaryKeyField(), new RequireConcurrentIndexCreation(), new RequireConcurrentIndexDeletion(),
                new RequireConcurrentReindex(), new BanConcurrentIndexInTransaction(), new ChangingColumnType(),
                new RenamingColumn(), new RenamingTable(), new BanDropColumn(), new BanDropTable(), new BanDropSchema(),
                new BanDropDatabase(), new BanDropNotNull(), new BanTruncateCascade(), new BanVacuumFull(), new BanCluster(),
                new PreferTextField(), new PreferBigintOverInt(), new PreferTimestamptz(), new PreferIdentity(),
                new IdentifierTooLong(), new PreferRobustStatements(), new TransactionNesting(), new RequireTimeoutSettings(),
                new EnumValueOrdering(), new BanDomainConstraint(), new BanDropConstraint(), new BanDropDefault(), new BanAlterIdentity(),
                new BanSetSchema(), new RenamingObject(), new BanCharField(), new BanUncommittedTransaction(),
                new BanDuplicateColumnAssignments(), new RequireConcurrentPartitionDetach(), new ServerWideStatement(),
                new NonstandardStrings()));
        rules.addAll(BanDropObject.all());
        return List.copyOf(rules);
    }
}
