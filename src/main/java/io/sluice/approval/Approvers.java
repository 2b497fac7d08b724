package io.sluice.approval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sluice.event.Caller;

/**
 * Who may approve, and under which name: IAM principals (a user's ARN, or a role session's:
 * {@code arn:aws:sts::123456789012:assumed-role/Approvers/alice}) mapped to approver names, from
 * {@code sluice.approval.approvers} ({@code principal=name} entries; Terraform renders {@code var.approvers}). A
 * principal that is not listed is nobody's approver.
 */
public final class Approvers {

    private final Map<String, String> byPrincipal;

    private Approvers(Map<String, String> byPrincipal) {
        this.byPrincipal = Map.copyOf(byPrincipal);
    }

    /** Nobody may approve. */
    public static final Approvers NONE = new Approvers(Map.of());

    /**
     * @param entries {@code principal=name}, e.g. {@code arn:aws:iam::123456789012:user/alice=alice}
     * @throws IllegalArgumentException on an entry without a principal ARN or a name, or a name given to two principals
     */
    public static Approvers of(List<String> entries) {
        Map<String, String> byPrincipal = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.lastIndexOf('=');
            String principal = equals < 0 ? "" : entry.substring(0, equals).strip();
            String name = equals < 0 ? "" : entry.substring(equals + 1).strip();
            if (!principal.startsWith("arn:") || !name.matches("[A-Za-z0-9._@+-]{1,128}")) {
                throw new IllegalArgumentException("sluice.approval.approvers: '" + entry + "' is not principal-arn=name");
            }
            if (byPrincipal.containsValue(name) && !name.equals(byPrincipal.get(principal))) {
                throw new IllegalArgumentException("sluice.approval.approvers: " + name + " is the name of two principals;"
                        + " one person, one name, one vote");
            }
            byPrincipal.put(principal, name);
        }
        return new Approvers(byPrincipal);
    }

    /** The approver {@code caller} is, if any. */
    public Optional<String> nameOf(Caller caller) {
        return Optional.ofNullable(byPrincipal.get(caller.principal()));
    }

    /** Who {@code caller} is as a person: their approver name when they have one, else their session's name. */
    public String personOf(Caller caller) {
        return nameOf(caller).orElse(caller.sessionName());
    }
}
