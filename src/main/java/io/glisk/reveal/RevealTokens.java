package io.glisk.reveal;

import io.glisk.claim.SqlArrays;
import io.glisk.claim.SqlResources;
import io.glisk.ops.PipelineEvents;
import io.glisk.provider.ProviderAnswers;
import java.util.List;
import java.util.Map;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import io.glisk.settings.ConditionalOnStage;

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

    /** They stay ready, with the reason, and wait (longer after each failure) before the next try. */
    public void release(List<Long> tokenIds, String reason) {
        if (tokenIds.isEmpty()) {
            return;
        }
        String error = reason == null ? "unknown failure" : ProviderAnswers.shorten(reason);
        jdbc.update(sql.load("sql/reveal/release-tokens.sql"), new MapSqlParameterSource()
                .addValue("tokenIds", SqlArrays.of("bigint", tokenIds.toArray()))
                .addValue("error", error)
                .addValue("delay", settings.retryDelaySeconds())
                .addValue("maxDelay", settings.maxRetryDelaySeconds()));
        PipelineEvents.event(Level.WARN, "reveal.batch_waiting").addKeyValue("tokens", tokenIds.size())
                .addKeyValue("token_ids", tokenIds).addKeyValue("error", error).log();
    }

    /** The route's error handler: release the claimed rows of a batch that could not be sent. */
    public void releaseBatch(List<Map<String, Object>> rows, String reason) {
        release(rows.stream().map(row -> ((Number) row.get("token_id")).longValue()).toList(), reason);
    }

    void alreadyRevealed(long tokenId, String chainUri) {
        jdbc.update(sql.load("sql/reveal/already-revealed.sql"),
                new MapSqlParameterSource().addValue("tokenId", tokenId).addValue("chainUri", chainUri));
        PipelineEvents.event(Level.WARN, "reveal.already_revealed").addKeyValue("token_id", tokenId)
                .addKeyValue("uri", chainUri).log();
    }
}
