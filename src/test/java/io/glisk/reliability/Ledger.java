package io.glisk.reliability;

import io.glisk.sql.SqlResources;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/** What the pipeline's database says, read by the suite itself (statements under reliability/ on the classpath). */
final class Ledger {

    /** A token as the pipeline left it. */
    record Token(long id, String status, String failedStage, String generationError, String uploadError,
                 String revealError, int generationAttempts, int uploadAttempts, int revealAttempts, boolean censored,
                 String metadataCid, String revealTxHash, boolean leased, String prompt) {

        /** The error of the stage that failed the token. */
        String failure() {
            return failedStage == null ? null : switch (failedStage) {
                case "generation" -> generationError;
                case "ipfs" -> uploadError;
                default -> revealError;
            };
        }
    }

    record RevealTransaction(long id, String sender, long nonce, String txHash, List<Long> tokenIds, String status,
                             String error) {
    }

    record Progress(long tokens, long settled, long openTransactions) {
    }

    /** Attempts one token has spent, per stage. */
    record Attempts(int generation, int upload, int reveal) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql = new SqlResources();

    Ledger(Postgres postgres, String database) {
        this.jdbc = new NamedParameterJdbcTemplate(postgres.dataSource(database));
    }

    Progress progress() {
        return jdbc.queryForObject(sql.load("reliability/progress.sql"), Map.of(), (rs, n) ->
                new Progress(rs.getLong("tokens"), rs.getLong("settled"), rs.getLong("open_transactions")));
    }

    List<Token> tokens() {
        return jdbc.query(sql.load("reliability/tokens.sql"), (rs, n) -> new Token(rs.getLong("token_id"),
                rs.getString("status"), rs.getString("failed_stage"), rs.getString("generation_error"),
                rs.getString("upload_error"), rs.getString("reveal_error"), rs.getInt("generation_attempts"),
                rs.getInt("upload_attempts"), rs.getInt("reveal_attempts"), rs.getBoolean("generation_censored"),
                rs.getString("metadata_cid"), rs.getString("reveal_tx_hash"), rs.getBoolean("leased"),
                rs.getString("prompt_text")));
    }

    List<RevealTransaction> revealTransactions() {
        return jdbc.query(sql.load("reliability/reveal-transactions.sql"), (rs, n) -> new RevealTransaction(
                rs.getLong("id"), rs.getString("sender"), rs.getLong("nonce"), rs.getString("tx_hash"),
                longs(rs, "token_ids"), rs.getString("status"), rs.getString("error")));
    }

    /** Transactions recorded on a nonce their sender still had open in another one, as "id on nonce n, open in id". */
    List<String> noncesChosenTwice() {
        return jdbc.query(sql.load("reliability/nonce-chosen-twice.sql"), (rs, n) -> rs.getLong("id") + " on nonce "
                + rs.getLong("nonce") + ", open in " + rs.getLong("open_id"));
    }

    Map<Long, Attempts> attempts() {
        Map<Long, Attempts> attempts = new HashMap<>();
        jdbc.query(sql.load("reliability/attempts.sql"), rs -> {
            attempts.put(rs.getLong("token_id"), new Attempts(rs.getInt("generation_attempts"),
                    rs.getInt("upload_attempts"), rs.getInt("reveal_attempts")));
        });
        return attempts;
    }

    /** An avatar task as operators see it (avatar_task_overview). */
    Map<String, Object> avatarTask(long taskKey) {
        return jdbc.queryForMap(sql.load("reliability/avatar-task.sql"), Map.of("taskKey", taskKey));
    }

    /** The public URLs of every picture and thumbnail the database names for an avatar task. */
    List<String> avatarPictures(long taskKey) {
        return jdbc.queryForList(sql.load("reliability/avatar-pictures.sql"), Map.of("taskKey", taskKey), String.class);
    }

    /** Authors and their prompts, before their tokens are minted. */
    void addAuthors(Map<String, String> promptByWallet) {
        SqlParameterSource[] rows = promptByWallet.entrySet().stream()
                .map(e -> new MapSqlParameterSource().addValue("wallet", e.getKey()).addValue("prompt", e.getValue()))
                .toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate(sql.load("reliability/add-author.sql"), rows);
    }

    private static List<Long> longs(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((Long[]) array.getArray());
    }
}
