package io.glisk.detection;

import io.glisk.chain.MintEvent;
import io.glisk.events.EventFields;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What a reorg did to a mint: removed it, or why it left it alone. */
public record MintRemoval(MintEvent mint, Outcome outcome) implements EventFields {

    public enum Outcome {
        /** A provisional mint, now marked removed. */
        REMOVED,
        /** Confirmed already: final, the removal is ignored. */
        CONFIRMED,
        /** Removed already (the same removal again). */
        ALREADY_REMOVED,
        /** Last seen in another block: mined again there, the removal is older news. */
        OTHER_BLOCK,
        /** Never stored: nothing to remove. */
        UNKNOWN
    }

    public boolean removed() {
        return outcome == Outcome.REMOVED;
    }

    @Override
    public Map<String, Object> eventFields() {
        Map<String, Object> fields = new LinkedHashMap<>(mint.eventFields());
        fields.put("removal", outcome.name().toLowerCase(Locale.ROOT));
        return fields;
    }
}
