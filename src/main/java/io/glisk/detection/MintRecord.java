package io.glisk.detection;

import io.glisk.chain.MintEvent;
import io.glisk.events.EventFields;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What storing one BatchMinted log did.
 *
 * @param mint      the log as the source saw it
 * @param outcome   where its mint stands now
 * @param newTokens tokens created (only when the mint became confirmed)
 * @param previous  the mint as stored before, when it was stored already and this view changed it
 */
public record MintRecord(MintEvent mint, Outcome outcome, long newTokens, Previous previous) implements EventFields {

    public enum Outcome {
        /** Stored (or moved to another block) without tokens: it waits for its confirmations. */
        PROVISIONAL,
        /** Confirmed now, its tokens created. */
        CONFIRMED,
        /** Already confirmed, or the same provisional view again: nothing changed. */
        DUPLICATE
    }

    /** The mint as it was stored before this view arrived. */
    public record Previous(String status, long blockNumber, long startTokenId, int quantity, String promptAuthor) {
    }

    public boolean changed() {
        return outcome != Outcome.DUPLICATE;
    }

    /** A mint first seen provisionally, now confirmed with other token ids or another author. */
    public boolean corrected() {
        return outcome == Outcome.CONFIRMED && previous != null && !sameTokens();
    }

    private boolean sameTokens() {
        return previous.startTokenId() == mint.startTokenId() && previous.quantity() == mint.quantity()
                && Objects.equals(previous.promptAuthor(), mint.promptAuthor());
    }

    @Override
    public Map<String, Object> eventFields() {
        Map<String, Object> fields = new LinkedHashMap<>(mint.eventFields());
        fields.put("new_tokens", newTokens);
        if (previous != null && changed()) {
            fields.put("previous_status", previous.status());
            if (!sameTokens() || previous.blockNumber() != mint.blockNumber()) {
                fields.put("previous_block_number", previous.blockNumber());
                fields.put("previous_start_token_id", previous.startTokenId());
                fields.put("previous_quantity", previous.quantity());
                fields.put("previous_prompt_author", previous.promptAuthor());
            }
        }
        return fields;
    }
}
