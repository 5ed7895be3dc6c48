package io.glisk.chain;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The chain's polls that sleep through a quiet spell (each an {@link IdlePacedScheduler}). When this service itself
 * has just moved the chain (local mode's demo mints, a reveal sent), {@link #chainMoved()} has them look now rather
 * than at the end of their idle wait, so the mint or the reveal's receipt is seen within a poll interval instead of
 * up to the idle pace later. So do the new blocks the node pushes ({@link ChainHeads}): while they come, an idle
 * poll needs no pace of its own and sleeps {@link #PUSHED_IDLE_WAIT}, a safety net for a lost notification.
 */
public class ChainPolls {

    /** How long an idle poll sleeps at least while the node pushes its new blocks. */
    public static final Duration PUSHED_IDLE_WAIT = Duration.ofSeconds(60);

    private final Set<IdlePacedScheduler> polls = ConcurrentHashMap.newKeySet();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean headsPushed;
    /** The number of the block pushed last; -1 before the first. */
    private volatile long pushedHead = -1;

    void add(IdlePacedScheduler poll) {
        polls.add(poll);
    }

    void remove(IdlePacedScheduler poll) {
        polls.remove(poll);
    }

    /** Whether the node pushes its new blocks now. */
    public boolean headsPushed() {
        return headsPushed;
    }

    void headsPushed(boolean pushed) {
        headsPushed = pushed;
    }

    void pushed(long block) {
        pushedHead = block;
    }

    /**
     * Whether {@code head}, a node's answer, is older than the block pushed last, while the push holds: the node
     * asked is behind the one that pushes, and a poll that found nothing new should not take that as a quiet chain.
     */
    public boolean behindPushes(long head) {
        return headsPushed && head < pushedHead;
    }

    /** {@code listener} runs at every move of the chain {@link #chainMoved()} hears of, on the caller's thread. */
    public void onChainMoved(Runnable listener) {
        listeners.add(listener);
    }

    /** Every poll waiting out its idle pace polls now; busy ones keep their pace. */
    public void chainMoved() {
        polls.forEach(IdlePacedScheduler::pollNowIfIdle);
        listeners.forEach(Runnable::run);
    }
}
