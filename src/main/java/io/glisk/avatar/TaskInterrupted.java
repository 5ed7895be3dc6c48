package io.glisk.avatar;

/**
 * The task's work must not go on: a cancel was requested, a provider stopped the stage, or the lease is no longer
 * this worker's. Thrown before a billed call, so nothing more is billed; the task route decides what follows.
 */
public class TaskInterrupted extends RuntimeException {

    public TaskInterrupted(String state) {
        super("task " + (state == null ? "lease lost" : state), null, false, false);
    }
}
