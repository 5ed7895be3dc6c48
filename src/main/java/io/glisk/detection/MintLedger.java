package io.glisk.detection;

import io.glisk.chain.MintEvent;
import io.glisk.sql.SqlResources;
import io.glisk.settings.ConditionalOnStage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The mints detection knows of and where each stands: provisional (seen by the webhook, not yet confirmed, no
 * tokens), confirmed (its tokens created, final) or removed (dropped by a reorg, kept for the audit). The log
 * poller's view of confirmed blocks is what confirms, corrects or removes a provisional mint.
 */
@ConditionalOnStage("detection")
@Component("mintLedger")
public class MintLedger {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;

    MintLedger(NamedParameterJdbcTemplate jdbc, SqlResources sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /**
     * Stores one BatchMinted log as {@code source} saw it, confirmed or provisional.
     * See sql/detection/record-mint.sql for what an existing mint becomes.
     */
    public MintRecord record(MintEvent mint, String source, boolean confirmed) {
        Map<String, Object> row = jdbc.queryForMap(sql.load("sql/detection/record-mint.sql"), parameters(mint)
                .addValue("source", source)
                .addValue("confirmed", confirmed));
        MintRecord.Outcome outcome = MintRecord.Outcome.valueOf(((String) row.get("outcome")).toUpperCase(Locale.ROOT));
        MintRecord.Previous previous = row.get("previous_status") == null ? null : new MintRecord.Previous(
                (String) row.get("previous_status"), ((Number) row.get("previous_block_number")).longValue(),
                ((Number) row.get("previous_start_token_id")).longValue(), ((Number) row.get("previous_quantity")).intValue(),
                (String) row.get("previous_prompt_author"));
        return new MintRecord(mint, outcome, ((Number) row.get("new_tokens")).longValue(), previous);
    }

    /** A log the webhook reports removed by a reorg: its mint is removed if it is provisional and was seen in that block. */
    public MintRemoval remove(MintEvent removed) {
        String outcome = jdbc.queryForObject(sql.load("sql/detection/remove-mint.sql"), parameters(removed), String.class);
        return new MintRemoval(removed, MintRemoval.Outcome.valueOf(outcome.toUpperCase(Locale.ROOT)));
    }

    /** Removes the provisional mints of blocks the log poller has read up to {@code range.to()} without finding them. */
    public List<MintRemoval> removeUnconfirmed(BlockRange range) {
        return jdbc.query(sql.load("sql/detection/remove-unconfirmed.sql"), Map.of("block", range.to()),
                (rs, n) -> new MintRemoval(new MintEvent(rs.getString("tx_hash"), rs.getLong("log_index"),
                        rs.getLong("block_number"), rs.getString("block_hash"), rs.getString("contract_address"),
                        rs.getString("minter"), rs.getString("prompt_author"), rs.getLong("start_token_id"),
                        rs.getInt("quantity"), rs.getBigDecimal("total_paid").toBigIntegerExact()),
                        MintRemoval.Outcome.REMOVED));
    }

    private static MapSqlParameterSource parameters(MintEvent mint) {
        return new MapSqlParameterSource()
                .addValue("txHash", mint.txHash())
                .addValue("logIndex", mint.logIndex())
                .addValue("blockNumber", mint.blockNumber())
                .addValue("blockHash", mint.blockHash())
                .addValue("contract", mint.contractAddress())
                .addValue("minter", mint.minter())
                .addValue("promptAuthor", mint.promptAuthor())
                .addValue("startTokenId", mint.startTokenId())
                .addValue("quantity", mint.quantity())
                .addValue("totalPaid", new BigDecimal(mint.totalPaid()));
    }
}
