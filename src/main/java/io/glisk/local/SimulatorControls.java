package io.glisk.local;

import io.glisk.local.avatar.OpenAiSimulator;
import io.glisk.local.avatar.S3Simulator;
import io.glisk.local.pinata.PinataSimulator;
import io.glisk.local.replicate.ReplicateSimulator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * SIMULATOR — what a run that injects faults from outside the pipeline needs from this process' simulators: the
 * calls they answered, counted by prompt and by pin name (one prompt and one pin name per token, so provider
 * calls can be counted token by token), base images by prompt (one per avatar persona) and S3 writes by key, and
 * Replicate going down for everyone. Local mode only, like the
 * simulators; the pipeline never calls it.
 */
@RestController
@Profile("local")
@RequestMapping("/sim/control")
class SimulatorControls {

    private static final int MAX_OUTAGE_SECONDS = 3600;

    private final ReplicateSimulator replicate;
    private final PinataSimulator pinata;
    private final OpenAiSimulator openai;
    private final S3Simulator s3;

    SimulatorControls(ReplicateSimulator replicate, PinataSimulator pinata, OpenAiSimulator openai, S3Simulator s3) {
        this.replicate = replicate;
        this.pinata = pinata;
        this.openai = openai;
        this.s3 = s3;
    }

    @GetMapping("/stats")
    Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("replicate", Map.of("predictions", replicate.predictionsCreated(),
                "predictionsByPrompt", replicate.predictionsByPrompt()));
        stats.put("pinata", Map.of("filePins", pinata.filePins(), "jsonPins", pinata.jsonPins(),
                "pinsByName", pinata.pinsByName()));
        stats.put("openai", Map.of("generations", openai.generationsMade(), "edits", openai.editsMade(),
                "generationsByPrompt", openai.generationsByPrompt()));
        stats.put("s3", Map.of("writesByKey", s3.writes()));
        return stats;
    }

    /** Every create request answers 503 for the next {@code seconds}, as when Replicate is down for everyone. */
    @PostMapping("/replicate/outage")
    ResponseEntity<Map<String, Object>> replicateOutage(@RequestParam int seconds) {
        if (seconds < 0 || seconds > MAX_OUTAGE_SECONDS) {
            return ResponseEntity.badRequest().body(Map.of("error", "seconds must be between 0 and " + MAX_OUTAGE_SECONDS));
        }
        Instant until = Instant.now().plusSeconds(seconds);
        replicate.setUnavailableUntil(until);
        return ResponseEntity.ok(Map.of("unavailableUntil", until.toString()));
    }
}
