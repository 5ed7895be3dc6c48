package io.glisk.chain;

import java.math.BigInteger;

/** One BatchMinted log: tokens startTokenId .. startTokenId + quantity − 1 of promptAuthor's prompt. */
public record MintEvent(String txHash, long logIndex, long blockNumber, String blockHash, String contractAddress,
                        String minter, String promptAuthor, long startTokenId, int quantity, BigInteger totalPaid) {
}
