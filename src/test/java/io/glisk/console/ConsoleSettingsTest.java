package io.glisk.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glisk.settings.InvalidSettingsException;
import org.junit.jupiter.api.Test;

/** GLISK_GRAFANA_URL becomes a link every signed-in user sees: only a plain http(s) address. */
class ConsoleSettingsTest {

    @Test
    void aGrafanaAddressIsLinkedAsGiven() {
        assertThat(new ConsoleSettings(" https://grafana.example/d/glisk-pipeline?orgId=1 ").grafanaUrl())
                .isEqualTo("https://grafana.example/d/glisk-pipeline?orgId=1");
        assertThat(new ConsoleSettings("http://localhost:3000").grafanaUrl()).isEqualTo("http://localhost:3000");
        assertThat(new ConsoleSettings(null).grafanaUrl()).isNull();
        assertThat(new ConsoleSettings("  ").grafanaUrl()).isNull();
    }

    @Test
    void anythingElseStopsTheStartWithAReason() {
        for (String url : new String[] {"javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                "grafana.example/d/x", "ftp://grafana.example", "http://", "http://exa mple.com"}) {
            assertThatThrownBy(() -> new ConsoleSettings(url)).as(url).isInstanceOf(InvalidSettingsException.class)
                    .hasMessage("GLISK_GRAFANA_URL must be an http:// or https:// address");
        }
        assertThatThrownBy(() -> new ConsoleSettings("https://admin:s3cret@grafana.example/d/x"))
                .isInstanceOf(InvalidSettingsException.class).hasMessageNotContaining("s3cret")
                .hasMessageContaining("must not hold a user name or password");
    }
}
