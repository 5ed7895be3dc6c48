package io.glisk.authors;

/**
 * The exact text an author's wallet signs (EIP-191 {@code personal_sign}, UTF-8) to set their prompt. Lines are
 * separated by a single {@code \n} (LF), with no trailing newline:
 *
 * <pre>
 * GLISK prompt
 * Wallet: &lt;the wallet, 0x and 40 lower-case hex digits&gt;
 * Nonce: &lt;the nonce, as sent&gt;
 * Expires: &lt;expiresAt, as sent&gt;
 * Prompt: &lt;the prompt, as sent, to the end of the message&gt;</pre>
 *
 * <p>Unambiguous by construction: the wallet, the nonce ({@code [A-Za-z0-9_-]}) and the expiry (an ISO-8601
 * instant) cannot contain a line break, so each of them ends at the first {@code \n} after its label; the
 * prompt comes last and runs to the end, so whatever it contains (line breaks, "Nonce: …", "Expires: …") can
 * only be prompt text. Two different requests therefore never have the same message, and a signature for
 * one is worthless for any other. The first line keeps these signatures apart from anything else a wallet
 * signs.
 */
final class PromptMessage {

    static final String TITLE = "GLISK prompt";

    /** The template as a wallet UI reads it in an error, with {@code \n} written out. */
    static final String FORMAT = TITLE + "\\nWallet: <wallet, lower-case>\\nNonce: <nonce>\\nExpires: <expiresAt, as sent>"
            + "\\nPrompt: <prompt>";

    private PromptMessage() {
    }

    static String of(PromptRequest request) {
        return TITLE
                + "\nWallet: " + request.wallet()
                + "\nNonce: " + request.nonce()
                + "\nExpires: " + request.expiresAtText()
                + "\nPrompt: " + request.prompt();
    }
}
