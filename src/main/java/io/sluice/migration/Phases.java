package io.sluice.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.sluice.error.ValidationFailed;
import io.sluice.event.MigratePhase;
import io.sluice.event.PlannedScript;

/**
 * Which of the pending scripts a phase applies. Contract scripts come after every expand script of a release: a
 * migrate in phase {@code expand} stops before the first pending contract script, and one in phase {@code contract}
 * applies the contract scripts once nothing of the expand phase is pending.
 */
public final class Phases {

    /**
     * What one phase of a migrate applies.
     *
     * @param scripts         the scripts it applies, in order (the repeatable ones run with it)
     * @param flywayTarget    Flyway's target for it: the request's, the last expand version, or {@code current}
     * @param contractPending the contract scripts pending before it runs
     */
    public record Selection(List<PlannedScript> scripts, String flywayTarget, int contractPending) {

        public Selection {
            scripts = List.copyOf(scripts);
        }

        /** The contract scripts still pending after the run applied {@code applied} (script paths). */
        public int contractPendingAfter(List<String> applied) {
            return contractPending - (int) scripts.stream().filter(PlannedScript::isContract)
                    .filter(script -> applied.contains(script.script())).count();
        }
    }

    /**
     * A contract script followed by a pending expand script: the expand script would run after what the old release
     * needs is gone, so the release cannot be rolled out in phases.
     */
    public record Misorder(PlannedScript contract, PlannedScript expand) {

        public String message() {
            return "contract script " + contract.script() + " comes before expand script " + expand.script() + ": contract scripts"
                    + " run after every expand script of a release, once the new application serves all traffic. Give "
                    + expand.script() + " a version below " + contract.version() + ", or declare it '-- sluice:phase contract'";
        }
    }

    private Phases() {
    }

    /**
     * The scripts {@code phase} applies out of {@code plan} (every pending script up to the request's target).
     *
     * @param requestTarget Flyway's target for the whole request ({@code latest} or a version)
     * @throws ValidationFailed for phase {@code contract} while expand scripts are pending, or misordered
     */
    public static Selection select(List<PlannedScript> plan, MigratePhase phase, String requestTarget) {
        int contracts = (int) plan.stream().filter(PlannedScript::isContract).count();
        int first = firstContract(plan);
        return switch (phase) {
            case ALL -> new Selection(plan, requestTarget, contracts);
            case EXPAND -> {
                if (first < 0) {
                    yield new Selection(plan, requestTarget, 0);
                }
                List<PlannedScript> scripts = new ArrayList<>(plan.subList(0, first));
                String target = scripts.isEmpty() ? "current" : scripts.get(scripts.size() - 1).version();
                plan.stream().filter(script -> script.version() == null).forEach(scripts::add);
                yield new Selection(scripts, target, contracts);
            }
            case CONTRACT -> {
                List<PlannedScript> expandFirst = plan.subList(0, first < 0 ? plan.size() : first).stream()
                        .filter(script -> script.version() != null).toList();
                if (!expandFirst.isEmpty()) {
                    throw new ValidationFailed("migrate phase contract: " + expandFirst.size() + " expand script(s) are pending ("
                            + expandFirst.get(0).script() + (expandFirst.size() > 1 ? ", ..." : "") + "); run migrate with phase"
                            + " expand first. Nothing was migrated.");
                }
                Optional<Misorder> misorder = misorder(plan);
                if (misorder.isPresent()) {
                    throw new ValidationFailed("migrate phase contract: " + misorder.get().message() + ". Nothing was migrated.");
                }
                yield new Selection(plan, requestTarget, contracts);
            }
        };
    }

    /** The first contract script with a pending expand script after it, and that expand script. */
    public static Optional<Misorder> misorder(List<PlannedScript> plan) {
        PlannedScript contract = null;
        for (PlannedScript script : plan) {
            if (script.version() == null) {
                continue;
            }
            if (script.isContract()) {
                contract = contract == null ? script : contract;
            } else if (contract != null) {
                return Optional.of(new Misorder(contract, script));
            }
        }
        return Optional.empty();
    }

    private static int firstContract(List<PlannedScript> plan) {
        for (int i = 0; i < plan.size(); i++) {
            if (plan.get(i).version() != null && plan.get(i).isContract()) {
                return i;
            }
        }
        return -1;
    }
}
