package io.glisk.avatar;

import io.glisk.provider.PermanentFailure;

/**
 * The image API's moderation refused the prompt or the picture. Sending the same request again gets the same
 * answer (and may count against the account), so that image or persona fails with this reason.
 */
public class ContentRefused extends PermanentFailure {

    public ContentRefused(String message) {
        super(message);
    }
}
