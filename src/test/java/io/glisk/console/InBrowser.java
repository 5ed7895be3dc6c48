package io.glisk.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Scenarios in a real browser: one browser for all scenarios of a class, started by the first (it needs the service's
 * port). Not a per-class test instance: CamelSpringBootTest then never starts the Camel context.
 */
abstract class InBrowser extends ConsoleContext {

    protected static Browser browser;

    @BeforeEach
    void startTheBrowser() {
        if (browser == null) {
            browser = new Browser(port);
        }
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    /** Each scenario starts signed out, and no page it saw complained in the browser's console. */
    @AfterEach
    void signOutWithoutConsoleErrors() {
        List<String> errors = browser.consoleErrors();
        browser.signOut();
        assertThat(errors).as("errors in the browser's console").isEmpty();
    }
}
