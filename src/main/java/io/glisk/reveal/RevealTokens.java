package io.glisk.reveal;

import io.glisk.sql.SqlResources;
import io.glisk.events.PipelineEvents;
import io.glisk.provider.ProviderAnswers;
import io.glisk.provider.ProviderUnavailable;
import io.glisk.settings.ConditionalOnStage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/** What happens to ready tokens that are not revealed by a transaction of ours. */
@ConditionalOnStage("reveal")
@Component("revealTokens")
public class RevealTokens {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final RevealSettings settings;

    RevealTokens(NamedParameterJdbcTemplate jdbc, SqlResources sql, RevealSettings settings) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.settings = settings;
    }

    /**
     * The tokens of a transaction that is over without revealing them: they stay ready, with the reason, and
     * wait (longer after each failure) before the next try — or go again at once when {@code retryNow}.
     */
    void release(List<Long> tokenIds, String reason, boolean retryNow) {
        release(tokenIds, null, reason, retryNow ? 0 : settings.retryDelaySeconds(), true);
    }

    /** The route's error handler: release the claimed rows of a batch that could not be sent. */
    public void releaseBatch(List<Map<String, Object>> rows, String reason) {
        release(tokenIds(rows), leaseIds(rows), reason, settings.retryDelaySeconds(), true);
    }

    /** The route's error handler: the node is down for everyone; the batch waits for it, nothing counted. */
    public void waitForNode(List<Map<String, Object>> rows, ProviderUnavailable unavailable) {
        release(tokenIds(rows), leaseIds(rows), unavailable.getMessage(), unavailable.getWaitSeconds(), false);
    }

    /**
     * The route's error handler: a call to the node got no answer. Its failure, not the batch's: the batch waits
     * REVEAL_RETRY_DELAY_SECONDS, nothing counted, so an outage does not lengthen the backoff after it.
     */
    public void nodeDidNotAnswer(List<Map<String, Object>> rows, String reason) {
        release(tokenIds(rows), leaseIds(rows), "the RPC node did not answer: " + reason, settings.retryDelaySeconds(),
                false);
    }

    private static List<Long> tokenIds(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> ((Number) row.get("token_id")).longValue()).toList();
    }

    private static List<UUID> leaseIds(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> (UUID) row.get("lease_id")).toList();
    }

    private void release(List<Long> tokenIds, List<UUID> leaseIds, String reason, long delaySeconds, boolean counted) {
        if (tokenIds.isEmpty()) {
            return;
        }
        String error = reason == null ? "unknown failure" : ProviderAnswers.shorten(reason);
        jdbc.update(sql.load("sql/reveal/release-tokens.sql"), new MapSqlParameterSource()
                .addValue("tokenIds", new SqlArrayValue("bigint", tokenIds.toArray()))
                .addValue("leaseIds", leaseIds == null ? null : new SqlArrayValue("uuid", leaseIds.toArray()))
                .addValue("error", error)
                .addValue("delay", delaySeconds)
                .addValue("counted", counted)
                .addValue("maxDelay", settings.maxRetryDelaySeconds()));
        PipelineEvents.event(Level.WARN, "reveal.batch_waiting").addKeyValue("tokens", tokenIds.size())
                .addKeyValue("token_ids", tokenIds).addKeyValue("error", error).log();
    }

    void alreadyRevealed(long tokenId, UUID leaseId, String chainUri) {
        jdbc.update(sql.load("sql/reveal/already-revealed.sql"), new MapSqlParameterSource()
                .addValue("tokenId", tokenId).addValue("leaseId", leaseId).addValue("chainUri", chainUri));
        PipelineEvents.event(Level.WARN, "reveal.already_revealed").addKeyValue("token_id", tokenId)
                .addKeyValue("uri", chainUri).log();
    }

    void notOnChain(long tokenId, UUID leaseId) {
        String error = "Token " + tokenId + " does not exist on chain (the contract never minted it); it was left "
                + "out of the reveal so that the rest of its batch could go";
        jdbc.update(sql.load("sql/reveal/not-on-chain.sql"), new MapSqlParameterSource()
                .addValue("tokenId", tokenId).addValue("leaseId", leaseId).addValue("error", error));
        PipelineEvents.event(Level.WARN, "reveal.token_not_on_chain").addKeyValue("token_id", tokenId)
                .addKeyValue("error", error).log();
    }
}
