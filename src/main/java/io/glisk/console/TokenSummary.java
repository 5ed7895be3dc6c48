package io.glisk.console;

import io.glisk.ops.TokenOperations.StatusCount;
import java.util.List;

/** The strip of counts per status that the landing page and the token list show. */
record TokenSummary(List<StatusCount> counts, long total, long queued, long revealed) {

    static TokenSummary of(List<StatusCount> counts) {
        long total = 0;
        long queued = 0;
        long revealed = 0;
        for (StatusCount count : counts) {
            total += count.tokens();
            queued += count.queued() ? count.tokens() : 0;
            revealed += count.status().equals("revealed") ? count.tokens() : 0;
        }
        return new TokenSummary(counts, total, queued, revealed);
    }

    /** How many tokens one status has (0 for a status nobody is in). */
    public long tokens(String status) {
        return counts.stream().filter(count -> count.status().equals(status)).mapToLong(StatusCount::tokens).sum();
    }
}
