package io.glisk.chain;

import io.glisk.events.EventFields;
import java.math.BigInteger;
import java.util.Map;

/** One BatchMinted log: tokens startTokenId .. startTokenId + quantity − 1 of promptAuthor's prompt. */
public record MintEvent(String txHash, long logIndex, long blockNumber, String blockHash, String contractAddress,
                        String minter, String promptAuthor, long startTokenId, int quantity, BigInteger totalPaid)
        implements EventFields {

    @Override
    public Map<String, Object> eventFields() {
        return Map.of("tx_hash", txHash, "log_index", logIndex, "block_number", blockNumber,
                "start_token_id", startTokenId, "quantity", quantity, "prompt_author", promptAuthor);
    }
}
