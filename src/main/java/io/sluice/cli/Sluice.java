package io.sluice.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sluice}: every job a person or a CI step runs by hand, one command with subcommands. Each subcommand calls
 * the command classes the functions call, through the same handlers where a function exists, so {@code --json}
 * prints exactly the function's result. Exit codes are {@link Exit}'s.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = Sluice.Version.class,
        description = "Database CI/CD for PostgreSQL: lint, migrate, validate, check, canary-check and roll back.",
        subcommands = {
                DatabaseCommands.Migrate.class,
                DatabaseCommands.Info.class,
                DatabaseCommands.Validate.class,
                DatabaseCommands.Check.class,
                DatabaseCommands.Rollback.class,
                DatabaseCommands.CanaryCheck.class,
                DatabaseCommands.Health.class,
                LintCommandLine.class,
                SchemaCommandLine.class,
                Sluice.Pipeline.class,
                Sluice.Fleet.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes:", "  0 ok", "  1 findings at or above --fail-on; a failed validation, check or release",
                "  2 usage error or refused input (nothing changed)", "  3 database unreachable, not trusted or refusing the credentials",
                "  4 lock timeout", "  5 rolled back", "",
                "Settings: flag > SLUICE_* > FLYWAY_* (and PGPASSWORD) > sluice.toml [project] > flyway.toml > flyway.conf"})
public final class Sluice implements Runnable {

    /** What every subcommand writes to and reads: the process's streams, environment and working directory. */
    public record Console(Map<String, String> environment, PrintStream out, PrintStream err, Path workingDirectory, boolean terminal) {

        /** Whether text may be coloured: on a terminal, unless {@code NO_COLOR} is set (no-color.org). */
        public boolean colour() {
            String noColour = environment.get("NO_COLOR");
            return terminal && (noColour == null || noColour.isEmpty()) && !"dumb".equals(environment.get("TERM"));
        }

        /** {@code text} in ANSI colour {@code code} ({@code 31} red, {@code 32} green, {@code 33} yellow) when allowed. */
        public String paint(String text, int code) {
            return colour() ? "\u001B[" + code + "m" + text + "\u001B[0m" : text;
        }
    }

    private final Console console;

    public Sluice(Console console) {
        this.console = console;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command; sluice --help lists them");
    }

    /** {@code args} under the command {@code name}: as given when they start with it, else with it first. */
    static String[] under(String name, String[] args) {
        return under(new String[] {name}, args);
    }

    /** {@code args} under the subcommand path {@code names} ({@code pipeline run}), whichever leading part they already have. */
    static String[] under(String[] names, String[] args) {
        int given = 0;
        while (given < names.length && given < args.length && args[given].equals(names[given])) {
            given++;
        }
        if (given > 0 && given < names.length) {
            // "pipeline --input x": the command without its subcommand
            String[] rest = java.util.Arrays.copyOfRange(args, given, args.length);
            String[] all = java.util.Arrays.copyOf(names, names.length + rest.length);
            System.arraycopy(rest, 0, all, names.length, rest.length);
            return all;
        }
        if (given == names.length) {
            return args;
        }
        String[] all = java.util.Arrays.copyOf(names, names.length + args.length);
        System.arraycopy(args, 0, all, names.length, args.length);
        return all;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs {@code args} in this process; returns the exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return run(args, new Console(environment, out, err, Path.of("").toAbsolutePath(), System.console() != null && out == System.out));
    }

    /** The same in {@code console}. */
    public static int run(String[] args, Console console) {
        // The functions log JSON lines for CloudWatch; a person reads the command's own output (--verbose shows the log).
        java.util.logging.Logger.getLogger("").setLevel(Level.OFF);
        CommandLine commandLine = commandLine(console);
        return commandLine.execute(args);
    }

    /** The command tree for {@code console}: usage errors exit 2 with the message and the subcommand's usage line. */
    static CommandLine commandLine(Console console) {
        CommandLine commandLine = new CommandLine(new Sluice(console), new Factory(console));
        commandLine.setOut(new PrintWriter(console.out(), true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(console.err(), true, StandardCharsets.UTF_8));
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(console.colour() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler((e, args) -> {
            PrintWriter stderr = e.getCommandLine().getErr();
            stderr.println(qualifiedName(e.getCommandLine()) + ": " + e.getMessage());
            stderr.println(e.getCommandLine().getHelp().synopsis(0).stripTrailing());
            stderr.println("(" + qualifiedName(e.getCommandLine()) + " --help for more)");
            return Exit.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            PrintWriter stderr = command.getErr();
            if (e instanceof CommandLine.ParameterException parameter) {
                return command.getParameterExceptionHandler().handleParseException(parameter, new String[0]);
            }
            if (e instanceof Project.Refused || e instanceof IllegalArgumentException) {
                stderr.println(qualifiedName(command) + ": " + e.getMessage());
                return Exit.USAGE;
            }
            // A defect: one line, the class and the message, never a stack trace.
            stderr.println(qualifiedName(command) + ": unexpected error, a defect in Sluice: " + e.getClass().getName() + ": "
                    + io.sluice.error.Echo.line(String.valueOf(e.getMessage())));
            return Exit.FAILED;
        });
        return commandLine;
    }

    private static String qualifiedName(CommandLine commandLine) {
        return commandLine.getParent() == null ? commandLine.getCommandName()
                : qualifiedName(commandLine.getParent()) + " " + commandLine.getCommandName();
    }

    /** Makes each subcommand with the console, when its constructor takes one. */
    private record Factory(Console console) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(Console.class);
                constructor.setAccessible(true);
                return constructor.newInstance(console);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    /** The version in the jar's manifest (the build's). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Sluice.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (version == null ? "(not built as a jar)" : version)};
        }
    }

    /** {@code sluice pipeline run}: the release pipeline on this machine. */
    @Command(name = "pipeline", description = "The release pipeline's state machine, run on this machine.",
            subcommands = {PipelineCommandLine.class})
    static final class Pipeline implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: run");
        }
    }

    /** {@code sluice fleet run}: the fleet state machine on this machine. */
    @Command(name = "fleet", description = "A release to a fleet of databases, in waves, run on this machine.",
            subcommands = {FleetCommandLine.class})
    static final class Fleet implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: run");
        }
    }
}
