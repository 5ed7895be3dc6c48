package io.glisk.reveal;

/** The contract refuses the reveal (seen when estimating, or in a failed receipt), with its decoded reason. */
public class RevealRevertedException extends RuntimeException {

    public RevealRevertedException(String message) {
        super(message);
    }
}
