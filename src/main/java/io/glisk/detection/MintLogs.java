package io.glisk.detection;

import io.glisk.chain.ChainPolls;
import io.glisk.chain.ChainSettings;
import io.glisk.chain.GliskContract;
import io.glisk.chain.MintEvent;
import io.glisk.sql.SqlResources;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import io.glisk.settings.ConditionalOnStage;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The log poller's reading of the chain: the next bounded range of blocks buried under enough
 * confirmations, and the BatchMinted logs in it. The checkpoint (last block read) lives in system_state,
 * so a restart resumes where the last run stopped; it only moves after the range's mints are stored.
 */
@ConditionalOnStage("detection")
@Component
public class MintLogs {

    private final Web3j web3j;
    private final GliskContract contract;
    private final ConfirmedHead confirmedHead;
    private final ChainSettings chain;
    private final DetectionSettings settings;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final ChainPolls chainPolls;
    /** The checkpoint as last read or written by this instance (another instance may have moved it on since). */
    private volatile Long lastSeen;
    private volatile boolean behind;

    MintLogs(Web3j web3j, GliskContract contract, ConfirmedHead confirmedHead, ChainSettings chain,
             DetectionSettings settings, NamedParameterJdbcTemplate jdbc, SqlResources sql, ChainPolls chainPolls) {
        this.web3j = web3j;
        this.contract = contract;
        this.confirmedHead = confirmedHead;
        this.chain = chain;
        this.settings = settings;
        this.jdbc = jdbc;
        this.sql = sql;
        this.chainPolls = chainPolls;
    }

    /**
     * The next blocks to read, or null when the poller is caught up with the confirmed head. The database is
     * asked for the checkpoint only when the chain has moved past the one last seen: an idle poller costs the
     * database nothing.
     */
    public BlockRange nextRange() throws IOException {
        long confirmed = confirmedHead.block();
        behind = chainPolls.behindPushes(confirmed + chain.confirmations());
        Long seen = lastSeen;
        if (seen != null && seen >= confirmed) {
            return null;
        }
        List<Long> checkpoint = jdbc.queryForList(sql.load("sql/detection/checkpoint.sql"), Map.of(), Long.class);
        long from = checkpoint.isEmpty() || checkpoint.get(0) == null ? settings.startBlock() : checkpoint.get(0) + 1;
        lastSeen = from - 1;
        if (from > confirmed) {
            return null;
        }
        return new BlockRange(from, Math.min(confirmed, from + chain.maxBlockRange() - 1));
    }

    /**
     * Whether the head the node answered with at the last {@link #nextRange()} is older than a block pushed since:
     * the node read is behind the one that pushes (a provider's nodes differ), and the poll should look again soon.
     */
    public boolean behindPushedHead() {
        return behind;
    }

    /** The BatchMinted logs of our contract in the range, in chain order. */
    public List<MintEvent> read(BlockRange range) throws IOException {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(range.from())),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(range.to())), contract.address());
        filter.addSingleTopic(GliskContract.BATCH_MINTED_TOPIC);
        EthLog answer = web3j.ethGetLogs(filter).send();
        if (answer.hasError()) {
            throw new IOException("eth_getLogs " + range + " failed: " + answer.getError().getMessage());
        }
        List<MintEvent> mints = new ArrayList<>();
        for (EthLog.LogResult<?> result : answer.getLogs()) {
            if (result.get() instanceof Log log && !log.isRemoved()) {
                contract.batchMinted(log.getAddress(), log.getTopics(), log.getData(), log.getTransactionHash(),
                        log.getLogIndex().longValueExact(), log.getBlockNumber().longValueExact(), log.getBlockHash())
                        .ifPresent(mints::add);
            }
        }
        return mints;
    }

    public void advance(BlockRange range) {
        jdbc.update(sql.load("sql/detection/advance-checkpoint.sql"), Map.of("block", range.to()));
        lastSeen = range.to();
    }
}
