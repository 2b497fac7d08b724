package io.sluice.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.sluice.config.SluiceConfig;
import io.sluice.error.InvalidRequest;

/** One reading of durations for events and configuration alike. */
class DurationTextTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "500ms, 500", "2s, 2000", "10min, 600000", "10m, 600000", "1h, 3600000", "PT10S, 10000", " 3 s , 3000"})
    void acceptedForms_meanWhatPostgresAndJavaMean(String text, long millis) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.ofMillis(millis));
        assertThat(Timeout.parse(text).millis()).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"30", "soon", "-1s", "PT-1S", "1 fortnight", "''"})
    void otherText_isRefusedWithTheAcceptedForms(String text) {
        assertThatThrownBy(() -> DurationText.parse(text)).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("must be a duration such as 500ms, 2s, 10min, 1h or 0 (no limit), got '");
    }

    @Test
    void configuration_readsTheSameForms_includingMinutesAsPostgresWritesThem() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("sluice.migrate.statement-timeout", "10min",
                        "sluice.migrate.lock-timeout", "0", "sluice.database.connect-timeout", "PT3S"), "test", 500))
                .withMapping(SluiceConfig.class)
                .build();
        SluiceConfig sluice = config.getConfigMapping(SluiceConfig.class);

        assertThat(sluice.migrate().statementTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(sluice.migrate().lockTimeout()).isEqualTo(Duration.ZERO);
        assertThat(sluice.database().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(sluice.migrate().firstLockTimeout()).isEqualTo(Duration.ofMillis(100));
    }
}
