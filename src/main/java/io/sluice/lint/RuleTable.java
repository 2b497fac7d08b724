package io.sluice.lint;

/**
 * The README's lint rule table and count, made from the rules themselves ({@link Rules#described()}, which SARIF's
 * driver lists too; a test keeps the README in step).
 */
public final class RuleTable {

    private RuleTable() {
    }

    public static String markdown() {
        StringBuilder table = new StringBuilder("| id | default | what | why | fix |\n|---|---|---|---|---|\n");
        for (Rules.Description rule : Rules.described()) {
            table.append("| `").append(rule.id()).append("` | ").append(rule.defaultSeverity().name().toLowerCase()).append(" | ")
                    .append(rule.summary()).append(" | ").append(rule.why()).append(" | ").append(rule.fix()).append(" |\n");
        }
        return table.toString();
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
