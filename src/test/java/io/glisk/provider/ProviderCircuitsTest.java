package io.glisk.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A provider's circuit as the stages see it: refused calls, waits, probes, throttling. */
class ProviderCircuitsTest {

    private final ProviderCircuits circuits = new ProviderCircuits(new CircuitSettings(50, 10, 3, 1, 2), 2_000);

    private int answer(int status) throws IOException {
        return circuits.<Integer, IOException, RuntimeException>call("replicate", () -> status, s -> s, s -> null);
    }

    private void noAnswer() {
        assertThatThrownBy(() -> circuits.<Integer, IOException, RuntimeException>call("replicate",
                () -> { throw new IOException("connection refused"); }, s -> s, s -> null)).isInstanceOf(IOException.class);
    }

    @Test
    void mostRecentCallsFailingOpensTheCircuitAndRefusesCallsUntilAProbeSucceeds() throws Exception {
        answer(200);
        answer(503);
        assertThat(circuits.unavailable("Replicate")).isFalse(); // half failed, but 3 calls are the minimum
        noAnswer();

        assertThat(circuits.unavailable("Replicate")).isTrue();
        assertThat(circuits.waitSeconds("Replicate")).isEqualTo(1);
        assertThatThrownBy(() -> answer(200)).isInstanceOf(ProviderUnavailable.class)
                .hasMessageStartingWith("Replicate is unavailable: most recent calls failed");
        assertThat(circuits.unavailableFor(List.of("replicate", "pinata"))).isPresent();

        Thread.sleep(1_050);
        assertThat(circuits.unavailableFor(List.of("replicate"))).isEmpty(); // time for the probes: claims go on
        answer(503);
        assertThat(circuits.unavailable("replicate")).isTrue(); // a failed probe is no reason to fail a token
        answer(503); // both probes failed: open again, for another second
        assertThat(circuits.states().get("replicate")).containsEntry("state", "open");

        Thread.sleep(1_050);
        answer(200);
        answer(201);
        assertThat(circuits.states().get("replicate")).containsEntry("state", "closed");
        assertThat(circuits.unavailable("Replicate")).isFalse();
    }

    @Test
    void everyRecentCallFailingIsAnOutageBeforeTheCircuitOpens() throws Exception {
        for (int i = 0; i < 7; i++) {
            answer(200);
        }
        answer(500);
        noAnswer();
        assertThat(circuits.unavailable("Replicate")).isFalse();
        answer(502);
        // three in a row, the least the circuit weighs: everyone's calls are failing, though 3 of the last 10 do
        // not open the circuit yet
        assertThat(circuits.states().get("replicate")).containsEntry("state", "closed");
        assertThat(circuits.unavailable("Replicate")).isTrue();
        answer(200);
        assertThat(circuits.unavailable("Replicate")).isFalse();
    }

    @Test
    void aRefusalOrAnAnswerIsNotAnOutage() throws Exception {
        for (int i = 0; i < 10; i++) {
            answer(422);
            answer(401);
        }
        assertThat(circuits.unavailable("Replicate")).isFalse();
    }

    @Test
    void a429HoldsEveryCallBackForItsRetryAfterCappedByTheMaximumBackoff() throws Exception {
        circuits.<Integer, IOException, RuntimeException>call("pinata", () -> 429, s -> s, s -> "3600");

        assertThat(circuits.unavailable("Pinata")).isTrue();
        assertThat(circuits.waitSeconds("Pinata")).isEqualTo(2); // an hour asked, two seconds granted
        assertThatThrownBy(() -> circuits.<Integer, IOException, RuntimeException>call("pinata", () -> 200, s -> s, s -> null))
                .isInstanceOf(ProviderUnavailable.class).hasMessageContaining("asked to slow down (HTTP 429)");
        assertThat(circuits.states().get("pinata")).containsEntry("state", "throttled");
        assertThat(circuits.unavailable("Replicate")).isFalse(); // one provider's limit is its own
    }
}
