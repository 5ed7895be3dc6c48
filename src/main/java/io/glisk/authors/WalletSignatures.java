package io.glisk.authors;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Who signed a text with EIP-191 {@code personal_sign} ({@code "\x19Ethereum Signed Message:\n" + byte length +
 * UTF-8 bytes}, keccak-256): the signature is 65 bytes r ‖ s ‖ v as 0x-prefixed hex, v being 27/28 (most
 * wallets) or 0/1 (some hardware wallets and libraries).
 */
@Component
class WalletSignatures {

    static final String FORMAT = "signature must be 65 bytes as 0x-prefixed hex: r, s, then v = 27, 28, 0 or 1";
    private static final Pattern SIGNATURE = Pattern.compile("0x[0-9a-fA-F]{130}");

    /**
     * The wallet whose key made {@code signature} over {@code message}, or empty when no key did (a signature
     * of another message, or numbers that are not a valid signature at all).
     *
     * @throws AuthorRequestRejected (400) when the signature is not even shaped like one
     */
    Optional<WalletAddress> signer(String message, String signature) {
        if (signature == null || !SIGNATURE.matcher(signature).matches()) {
            throw AuthorRequestRejected.badRequest(FORMAT);
        }
        byte[] bytes = HexFormat.of().parseHex(signature, 2, signature.length());
        int v = bytes[64] & 0xFF;
        if (v == 0 || v == 1) {
            v += 27;
        } else if (v != 27 && v != 28) {
            throw AuthorRequestRejected.badRequest(FORMAT);
        }
        Sign.SignatureData data = new Sign.SignatureData((byte) v, Arrays.copyOfRange(bytes, 0, 32),
                Arrays.copyOfRange(bytes, 32, 64));
        try {
            BigInteger publicKey = Sign.signedPrefixedMessageToKey(message.getBytes(StandardCharsets.UTF_8), data);
            return Optional.of(new WalletAddress("0x" + Keys.getAddress(publicKey)));
        } catch (SignatureException | RuntimeException e) {
            // r or s zero or out of range, r not the x of a curve point, …: web3j throws rather than answering
            return Optional.empty();
        }
    }
}
