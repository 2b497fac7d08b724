package io.sluice.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;

/** The README's diagram of the pipeline is the one generated from the definition file. */
class PipelineDiagramTest {

    @Test
    void readmeShowsTheDiagramOfTheDefinitionAsItIs() throws Exception {
        String rendered = Template.render(Files.readString(PipelineCommandLine.DEFAULT_DEFINITION), LocalFunctions.templateValues());
        String diagram = "```mermaid\n" + Diagram.mermaid(Definition.load(rendered, resource -> true)) + "```\n";
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "pipeline-diagram.md"), diagram);

        assertThat(Files.readString(Path.of("README.md")))
                .as("README.md's pipeline diagram differs from the definition's; paste target/pipeline-diagram.md into it")
                .contains(diagram);
    }
}
