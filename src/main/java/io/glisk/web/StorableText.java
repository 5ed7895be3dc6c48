package io.glisk.web;

/**
 * Whether text from a request can be stored as it was sent: PostgreSQL text cannot hold U+0000, and a lone
 * surrogate has no UTF-8 form (it would be stored as something other than what was sent).
 */
public final class StorableText {

    private StorableText() {
    }

    /** Why the text cannot be stored as sent, or null when it can. */
    public static String problem(String text) {
        if (text.indexOf('\0') >= 0) {
            return "contains U+0000, which cannot be stored";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate (not valid Unicode)";
            }
        }
        return null;
    }
}
