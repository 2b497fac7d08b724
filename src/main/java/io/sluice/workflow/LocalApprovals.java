package io.sluice.workflow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Approvals answered on the machine running the pipeline: a fixed number of approvals or a rejection given on the
 * command line ({@code --approve N}, {@code --reject}), or asked for on the terminal. Too few approvals end the task
 * the way the deployed pipeline ends when nobody answers in time: {@code States.Timeout}.
 */
public final class LocalApprovals implements Approvals {

    /** The error a rejection raises, as an approver's SendTaskFailure would. */
    public static final String REJECTED = "ApprovalRejected";

    private final int approvals;
    private final boolean reject;
    private final BufferedReader prompt;
    private final PrintStream out;

    private LocalApprovals(int approvals, boolean reject, BufferedReader prompt, PrintStream out) {
        this.approvals = approvals;
        this.reject = reject;
        this.prompt = prompt;
        this.out = out;
    }

    /** {@code approvals} approvers say yes (none when 0). */
    public static LocalApprovals approving(int approvals, PrintStream out) {
        if (approvals < 0) {
            throw new IllegalArgumentException("the number of approvals must be >= 0");
        }
        return new LocalApprovals(approvals, false, null, out);
    }

    /** The first approver says no. */
    public static LocalApprovals rejecting(PrintStream out) {
        return new LocalApprovals(0, true, null, out);
    }

    /** Each approval is asked for on {@code in}. */
    public static LocalApprovals prompting(BufferedReader in, PrintStream out) {
        return new LocalApprovals(0, false, in, out);
    }

    @Override
    public JsonNode answer(JsonNode request, long timeoutSeconds) {
        int required = request.path("approvalsRequired").asInt(1);
        String deployment = request.path("deploymentId").asText("(unknown)");
        out.printf("      approval requested for %s: change class %s needs %d approval(s)%n", deployment,
                request.path("changeClass").asText("?"), required);
        List<String> approvers = new ArrayList<>();
        if (prompt != null) {
            for (int i = 1; i <= required; i++) {
                String answer = ask("      approver " + i + " of " + required + ": type your name to approve, 'reject' to reject: ");
                if (answer == null || answer.isBlank()) {
                    break;
                }
                if (answer.trim().equalsIgnoreCase("reject")) {
                    throw new StatesError(REJECTED, "rejected by approver " + i + " on the terminal");
                }
                approvers.add(answer.trim());
            }
        } else if (reject) {
            out.println("      rejected (--reject)");
            throw new StatesError(REJECTED, "rejected locally (--reject)");
        } else {
            for (int i = 1; i <= approvals; i++) {
                approvers.add("local-approver-" + i);
            }
        }
        if (approvers.size() < required) {
            out.printf("      %d of %d approvals given; the deployed pipeline would wait %d s for the rest, then fail%n",
                    approvers.size(), required, timeoutSeconds);
            throw new StatesError(StatesError.TIMEOUT, approvers.size() + " of " + required + " approvals given before the task's "
                    + "TimeoutSeconds (" + timeoutSeconds + ")");
        }
        out.printf("      approved by %s%n", String.join(", ", approvers.subList(0, required)));
        ObjectNode result = Paths.JSON.createObjectNode();
        result.put("approved", true);
        approvers.subList(0, required).forEach(result.putArray("approvers")::add);
        return result;
    }

    private String ask(String question) {
        out.print(question);
        out.flush();
        try {
            return prompt.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
