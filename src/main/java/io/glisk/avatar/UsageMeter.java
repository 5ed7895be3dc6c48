package io.glisk.avatar;

import io.glisk.settings.ConditionalOnStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** What the image API bills, as counters: {@code glisk_avatar_usage_tokens_total{direction=input|output}}. */
@Component
@ConditionalOnStage("avatar")
public class UsageMeter {

    private final Counter input;
    private final Counter output;

    public UsageMeter(MeterRegistry registry) {
        this.input = Counter.builder("glisk.avatar.usage.tokens").tag("direction", "input")
                .description("tokens the image API billed").register(registry);
        this.output = Counter.builder("glisk.avatar.usage.tokens").tag("direction", "output")
                .description("tokens the image API billed").register(registry);
    }

    /** Counts the usage and answers it, so a route can count and keep it in one step. */
    public ImageUsage count(ImageUsage usage) {
        input.increment(usage.inputTokens());
        output.increment(usage.outputTokens());
        return usage;
    }
}
