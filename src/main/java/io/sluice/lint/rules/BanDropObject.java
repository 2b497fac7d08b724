package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/**
 * {@code DROP VIEW}, {@code FUNCTION}, {@code TYPE}, {@code SEQUENCE}, {@code DOMAIN}, {@code EXTENSION}: one rule per
 * kind of object (ban-drop-view, ...), since teams allow some and not others. The running application, or other
 * objects, may still use what is dropped; no undo script brings back what depended on it (CASCADE).
 */
public final class BanDropObject extends BaseRule {

    private final Pattern drop;
    private final String kind;

    private BanDropObject(String id, String kind, String keywords, String why) {
        super(id, LintSeverity.WARNING, "Dropping a " + kind + " breaks what still uses it.", why,
                "Check nothing uses the " + kind + " any more (the application's running version included), then drop it in a"
                        + " release of its own; suppress the finding there with -- sluice:ignore " + id + ".");
        this.kind = kind;
        this.drop = Pattern.compile("^DROP " + keywords + " (?:IF EXISTS )?(.+?)(?: CASCADE| RESTRICT)?$");
    }

    public static List<BanDropObject> all() {
        return List.of(
                new BanDropObject("ban-drop-view", "view", "(?:MATERIALIZED )?VIEW",
                        "Queries of the running application (and other views) that read the view fail once it is gone."),
                new BanDropObject("ban-drop-function", "function", "(?:FUNCTION|PROCEDURE|ROUTINE)",
                        "Triggers, defaults, views and the application's calls that use the function fail once it is gone."),
                new BanDropObject("ban-drop-type", "type", "TYPE",
                        "Columns, functions and casts in the application use the type; with CASCADE the columns of that type are dropped with their data."),
                new BanDropObject("ban-drop-sequence", "sequence", "SEQUENCE",
                        "Defaults that call nextval() on the sequence fail, and so does every insert relying on them."),
                new BanDropObject("ban-drop-domain", "domain", "DOMAIN",
                        "Columns of the domain's type keep their data only without CASCADE; with it they are dropped."),
                new BanDropObject("ban-drop-extension", "extension", "EXTENSION",
                        "The extension's functions, types and operators go with it; with CASCADE every column and index using them too."));
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        Matcher matcher = drop.matcher(statement.shape());
        if (!matcher.find()) {
            return List.of();
        }
        String cascade = statement.shape().endsWith(" CASCADE") ? " with everything that depends on it (CASCADE)" : "";
        return names(matcher.group(1)).stream().map(name -> kind + " " + name.toLowerCase() + " is dropped" + cascade).toList();
    }

    /** The names a DROP lists, split at the commas outside a function's argument list. */
    private static List<String> names(String list) {
        List<String> names = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                names.add(list.substring(start, i).trim());
                start = i + 1;
            }
        }
        names.add(list.substring(start).trim());
        return names;
    }
}
