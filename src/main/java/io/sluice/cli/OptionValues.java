package io.sluice.cli;

import java.util.List;

/** What the command lines share when reading options: the value after an option, or a usage error naming it. */
final class OptionValues {

    private OptionValues() {
    }

    /** The argument at {@code index}: the value of {@code option}, which must have one. */
    static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }
}
