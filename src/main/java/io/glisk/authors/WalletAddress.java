package io.glisk.authors;

import java.util.Locale;
import java.util.regex.Pattern;

/** An EVM address as authors are known by: 0x and 40 hex digits in any case, kept lower-case. */
record WalletAddress(String value) {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    static WalletAddress parse(String text) {
        if (text == null || !ADDRESS.matcher(text).matches()) {
            throw AuthorRequestRejected.badRequest("wallet must be an address: 0x followed by 40 hex digits");
        }
        return new WalletAddress(text.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return value;
    }
}
