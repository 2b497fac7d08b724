package io.sluice.cli;

/** What the command lines share when reading option values: the number, or a usage error naming the option. */
final class OptionValues {

    private OptionValues() {
    }

    /** {@code --wait-scale}: what Wait states and retry intervals are multiplied by, a number >= 0. */
    static double waitScale(String text) {
        try {
            double scale = Double.parseDouble(text);
            if (scale >= 0) {
                return scale;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--wait-scale takes a number >= 0, e.g. 0.1");
    }

    /** {@code --function-timeout}: the functions' timeout, 1 to Lambda's 900 seconds. */
    static int functionTimeout(String text) {
        int seconds = count(text, "--function-timeout");
        if (seconds < 1 || seconds > io.sluice.workflow.LocalResources.LAMBDA_MAX_SECONDS) {
            throw new IllegalArgumentException("--function-timeout takes 1-" + io.sluice.workflow.LocalResources.LAMBDA_MAX_SECONDS + " seconds");
        }
        return seconds;
    }

    /** A whole number >= 0 given to {@code option}. */
    static int count(String text, String option) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a whole number >= 0");
    }
}
