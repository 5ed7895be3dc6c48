package io.glisk.generation;

import java.util.List;

/** The parts of a Replicate prediction the pipeline acts on. */
public record Prediction(String id, String status, List<String> output, String error, String getUrl) {

    public boolean isRunning() {
        return "starting".equals(status) || "processing".equals(status);
    }
}
