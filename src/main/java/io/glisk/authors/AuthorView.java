package io.glisk.authors;

import java.time.Instant;

/** What the author API tells anyone about an author: whether a prompt is set, never the prompt. */
record AuthorView(String wallet, boolean hasPrompt, Instant updatedAt) {
}
