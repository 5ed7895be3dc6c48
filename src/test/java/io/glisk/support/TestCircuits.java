package io.glisk.support;

import io.glisk.provider.CircuitSettings;
import io.glisk.provider.ProviderCircuits;

/**
 * Provider circuits for clients built outside a Spring context, for tests of one call's wire shape and its
 * classification: they never open and never throttle, so one test's failures cannot refuse the next call.
 */
public final class TestCircuits {

    private TestCircuits() {
    }

    public static ProviderCircuits neverOpen() {
        return new ProviderCircuits(new CircuitSettings(100, 1000, 1000, 1, 1), 0);
    }
}
