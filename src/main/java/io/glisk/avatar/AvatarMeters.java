package io.glisk.avatar;

import io.glisk.settings.ConditionalOnStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The avatar stage's counters: what the image API bills, {@code glisk_avatar_usage_tokens_total{direction=input|output}},
 * and personas stored, {@code glisk_avatar_personas_stored_total}. Photos stored and failed, and personas failed,
 * are counted by their events ({@code glisk_events_total{event="avatar.image.stored"}}, …).
 */
@Component
@ConditionalOnStage("avatar")
public class AvatarMeters {

    private final Counter input;
    private final Counter output;
    private final Counter personas;

    public AvatarMeters(MeterRegistry registry) {
        this.input = Counter.builder("glisk.avatar.usage.tokens").tag("direction", "input")
                .description("tokens the image API billed").register(registry);
        this.output = Counter.builder("glisk.avatar.usage.tokens").tag("direction", "output")
                .description("tokens the image API billed").register(registry);
        this.personas = Counter.builder("glisk.avatar.personas.stored")
                .description("personas the persona flow wrote and the stage stored").register(registry);
    }

    /** Counts the usage and answers it, so a route can count and keep it in one step. */
    public ImageUsage usage(ImageUsage usage) {
        input.increment(usage.inputTokens());
        output.increment(usage.outputTokens());
        return usage;
    }

    public void personasStored(long stored) {
        personas.increment(stored);
    }
}
