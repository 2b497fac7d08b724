package io.sluice.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code exec:exec@readme-commands} runs: every documented command, each block marked one way or the other. */
class ReadmeCommandsTest {

    @Test
    void everyBashBlockOfTheDocumentation_isMarkedRunnable_orSaysWhyItIsNotRun() throws Exception {
        List<String> unmarked = new ArrayList<>();
        for (Path document : ReadmeCommands.documents()) {
            List<String> lines = Files.readAllLines(document);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).equals("```bash")) {
                    String above = i == 0 ? "" : lines.get(i - 1).strip();
                    if (!ReadmeCommands.MARKER.matcher(above).matches() && !above.matches("<!-- not run by the documentation check: .+ -->")) {
                        unmarked.add(document + ":" + (i + 1));
                    }
                }
            }
        }
        assertThat(unmarked).as("bash blocks with neither <!-- runnable --> nor <!-- not run by the documentation check: why -->").isEmpty();
        assertThat(ReadmeCommands.blocks(ReadmeCommands.documents())).extracting(ReadmeCommands.Block::commands)
                .anyMatch(commands -> commands.contains("exec:exec@local\n"))
                .anyMatch(commands -> commands.contains("exec:exec@schema -Dschema.args=\"export"))
                .anyMatch(commands -> commands.contains("exec:exec@pipeline"))
                .anyMatch(commands -> commands.contains("exec:exec@lint"));
    }

    @Test
    void aMarker_predictsTheExitCodes_andOneNotAboveAFence_isRefused(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("page.md");
        Files.writeString(page, "<!-- runnable: exit 0, 1 -->\n```bash\nfalse\necho two\n```\n\n<!-- runnable -->\n```bash\ntrue\n```\n");

        List<ReadmeCommands.Block> blocks = ReadmeCommands.blocks(List.of(page));

        assertThat(blocks).extracting(ReadmeCommands.Block::line, ReadmeCommands.Block::commands, ReadmeCommands.Block::exits)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, "false\necho two\n", Set.of(0, 1)),
                        org.assertj.core.groups.Tuple.tuple(9, "true\n", Set.of(0)));
        Files.writeString(page, "<!-- runnable -->\n\n```bash\ntrue\n```\n");
        assertThatThrownBy(() -> ReadmeCommands.blocks(List.of(page))).hasMessage(page + ":1: a runnable marker must stand right above a ```bash fence");
    }
}
