package io.glisk.console;

import io.glisk.settings.InvalidSettingsException;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The web console's settings.
 *
 * @param grafanaUrl GLISK_GRAFANA_URL: the dashboard the landing page links to (no link when unset). Only an
 *                   http(s) address without credentials in it: it is shown to every signed-in user.
 */
@ConfigurationProperties("glisk.console")
public record ConsoleSettings(String grafanaUrl) {

    public ConsoleSettings {
        grafanaUrl = grafanaUrl == null || grafanaUrl.isBlank() ? null : checked(grafanaUrl.strip());
    }

    private static String checked(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new InvalidSettingsException("GLISK_GRAFANA_URL must be an http:// or https:// address");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidSettingsException("GLISK_GRAFANA_URL must not hold a user name or password: "
                    + "every signed-in user of the console sees it");
        }
        return uri.toString();
    }
}
