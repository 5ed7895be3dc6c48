package io.glisk.detection;

import io.glisk.chain.GliskContract;
import io.glisk.chain.GliskContract.TokenOnChain;
import io.glisk.sql.SqlResources;
import io.glisk.cid.ContentIds;
import io.glisk.events.PipelineEvents;
import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.web3j.protocol.core.DefaultBlockParameter;
import io.glisk.settings.ConditionalOnStage;

/**
 * Finds tokens the chain has minted but the pipeline never heard of (a missed webhook, a poller outage, a
 * database restored from backup) and stores them: detected, or revealed with their metadata CID when the
 * chain has already revealed them. It reads the contract as of the confirmed block, like the log poller, so a
 * mint a reorg may still drop never gets a token this way. Safe while the other sources store the same tokens.
 */
@ConditionalOnStage("detection")
@Component("gapRecovery")
public class GapRecovery {

    private static final String IPFS = "ipfs://";

    private final GliskContract contract;
    private final ConfirmedHead confirmedHead;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final DetectionSettings settings;

    GapRecovery(GliskContract contract, ConfirmedHead confirmedHead, NamedParameterJdbcTemplate jdbc, SqlResources sql,
                DetectionSettings settings) {
        this.contract = contract;
        this.confirmedHead = confirmedHead;
        this.jdbc = jdbc;
        this.sql = sql;
        this.settings = settings;
    }

    public Map<String, Object> recover() throws IOException {
        long confirmed = confirmedHead.block();
        DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(Math.max(confirmed, 0)));
        // before the first confirmed block, or before the contract's deployment, nothing is minted for good
        long lastTokenId = confirmed < 0 || !contract.isDeployed(at) ? 0 : contract.nextTokenId(at) - 1;
        int detected = 0;
        int revealed = 0;
        Long present = jdbc.queryForObject(sql.load("sql/detection/stored-token-count.sql"),
                Map.of("lastTokenId", lastTokenId), Long.class);
        // token ids are unique: as many rows in the range as ids minted leaves no gap to look for
        if (present == null || present < lastTokenId) {
            List<Long> missing;
            do {
                missing = jdbc.queryForList(sql.load("sql/detection/missing-tokens.sql"),
                        Map.of("lastTokenId", lastTokenId, "limit", settings.recoveryBatch()), Long.class);
                for (TokenOnChain token : contract.tokens(missing, at)) {
                    String metadataCid = metadataCid(token);
                    int stored = jdbc.update(sql.load("sql/detection/recover-token.sql"), new MapSqlParameterSource()
                            .addValue("tokenId", token.tokenId())
                            .addValue("author", token.promptAuthor().toLowerCase())
                            .addValue("contract", contract.address())
                            .addValue("metadataCid", metadataCid));
                    if (stored == 1 && metadataCid != null) {
                        revealed++;
                    } else if (stored == 1) {
                        detected++;
                    }
                }
            } while (missing.size() == settings.recoveryBatch());
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("confirmedBlock", confirmed);
        summary.put("minted", lastTokenId);
        summary.put("recoveredDetected", detected);
        summary.put("recoveredRevealed", revealed);
        PipelineEvents.event(detected + revealed > 0 ? Level.WARN : Level.INFO, "detection.gaps_recovered")
                .addKeyValue("confirmed_block", confirmed).addKeyValue("minted", lastTokenId)
                .addKeyValue("detected", detected).addKeyValue("revealed", revealed).log();
        return summary;
    }

    /** The bare CID of a revealed token's ipfs:// URI; a URI of another shape is kept whole. */
    private static String metadataCid(TokenOnChain token) {
        String uri = token.revealedUri();
        if (uri == null) {
            return null;
        }
        String cid = uri.startsWith(IPFS) ? uri.substring(IPFS.length()) : uri;
        return ContentIds.isCid(cid) ? cid : uri;
    }
}
