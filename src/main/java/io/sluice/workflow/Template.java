package io.sluice.workflow;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a definition template the way Terraform's {@code templatefile} does for the pipeline: each
 * <code>${name}</code> is replaced by its value, <code>$${</code> stands for a literal <code>${</code>. A
 * placeholder without a value is refused, naming every missing one, as Terraform refuses it.
 */
public final class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\$?)\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Template() {
    }

    public static String render(String template, Map<String, String> values) {
        TreeSet<String> missing = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (!matcher.group(1).isEmpty()) {
                replacement = "${" + matcher.group(2) + "}";
            } else if (values.containsKey(matcher.group(2))) {
                replacement = values.get(matcher.group(2));
            } else {
                missing.add(matcher.group(2));
                replacement = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        if (!missing.isEmpty()) {
            throw new DefinitionRefused("the template needs values for " + String.join(", ", missing));
        }
        return out.toString();
    }

    /** The placeholder names a template uses. */
    public static TreeSet<String> placeholders(String template) {
        TreeSet<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (matcher.group(1).isEmpty()) {
                names.add(matcher.group(2));
            }
        }
        return names;
    }
}
