package io.glisk.chain;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chain's polls that sleep through a quiet spell (each an {@link IdlePacedScheduler}). When this service itself
 * has just moved the chain (local mode's demo mints, a reveal sent), {@link #chainMoved()} has them look now rather
 * than at the end of their idle wait, so the mint or the reveal's receipt is seen within a poll interval instead of
 * up to the idle pace later.
 */
public class ChainPolls {

    private final Set<IdlePacedScheduler> polls = ConcurrentHashMap.newKeySet();

    void add(IdlePacedScheduler poll) {
        polls.add(poll);
    }

    void remove(IdlePacedScheduler poll) {
        polls.remove(poll);
    }

    /** Every poll waiting out its idle pace polls now; busy ones keep their pace. */
    public void chainMoved() {
        polls.forEach(IdlePacedScheduler::pollNowIfIdle);
    }
}
