package io.sluice.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.cli.FleetCommandLine;

/** The fleet command's usage errors: exit code 2, the reason, and the usage line; nothing runs. */
class FleetCommandLineTest {

    @TempDir
    Path dir;

    private String refused(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = FleetCommandLine.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageErrors_exit2_namingTheOption_andRunNothing() throws Exception {
        Path input = Files.writeString(dir.resolve("fleet.json"), "{\"deploymentId\": \"r\", \"fleet\": {\"targets\": []}}");
        List.of(
                List.of(new String[] {"fleet"}, "Missing required option: '--input=FILE'"),
                List.of(new String[] {"fleet", "--input", input.toString(), "--approve", "1", "--reject"}, "--approve and --reject exclude"),
                List.of(new String[] {"fleet", "--input", input.toString(), "--name", "../x"}, "--name takes 1-80 letters"),
                List.of(new String[] {"fleet", "--input", input.toString(), "--wait-scale", "-1"}, "--wait-scale takes a number >= 0"),
                List.of(new String[] {"fleet", "--input", input.toString(), "--function-timeout", "901"}, "--function-timeout takes 1-900"),
                List.of(new String[] {"fleet", "--input", input.toString(), "--definition", dir.resolve("none.json").toString()}, "cannot read"))
                .forEach(usage -> assertThat(refused((String[]) usage.get(0))).contains((String) usage.get(1)));
        assertThat(dir.resolve("target")).doesNotExist();
    }
}
