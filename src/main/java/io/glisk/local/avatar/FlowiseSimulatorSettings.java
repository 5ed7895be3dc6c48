package io.glisk.local.avatar;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The built-in Flowise simulator (local mode and tests).
 *
 * @param apiKey            the only bearer token accepted; any other gets Flowise's 401
 * @param personaFlowId     the flow id that answers personas
 * @param imagePromptFlowId the flow id that answers image prompts; other ids are 404
 * @param latencyMillis     how long each prediction takes (the real flows: 20 s to minutes)
 * @param oddShapes         answer in the shapes language models use (prose, code fences, arrays, bios as an
 *                          object) rather than always the plain one
 * @param incompleteEvery   every n-th persona lacks its ethnicity (0: never), as models now and then forget a key
 * @param errorRate         share of predictions answered 500 at random (0..1), for demos
 */
@ConfigurationProperties("glisk.simulators.flowise")
public record FlowiseSimulatorSettings(
        String apiKey,
        String personaFlowId,
        String imagePromptFlowId,
        long latencyMillis,
        boolean oddShapes,
        int incompleteEvery,
        double errorRate) {

    public FlowiseSimulatorSettings {
        latencyMillis = Math.max(0, latencyMillis);
        incompleteEvery = Math.max(0, incompleteEvery);
    }
}
