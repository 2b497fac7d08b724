package io.sluice.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one escaping every name or text gets before it is written into a comment, a message or a log line. */
class EchoTest {

    @Test
    void line_escapesEveryCharacterThatCouldEndALine_andKeepsTheRestWhole() {
        String planted = "u\nDROP TABLE customers; --\r\u0085\u2028\u2029\u0000\t" + "x".repeat(500);

        assertThat(Echo.line(planted)).isEqualTo("u\\nDROP TABLE customers; --\\r\\u0085\\u2028\\u2029\\u0000\\t" + "x".repeat(500));
        assertThat(Echo.line(planted)).doesNotContain("\n", "\r", "\u0085", "\u2028", "\u2029");
    }

    @Test
    void value_andMessage_escapeTheSameWay_andAreBounded() {
        assertThat(Echo.value("a\nb" + "y".repeat(300))).isEqualTo("a\\nb" + "y".repeat(197) + "... (103 more characters)");
        assertThat(Echo.message("a\nb")).isEqualTo(Echo.line("a\nb"));
        assertThat(Echo.line(null)).isEqualTo("null");
    }
}
