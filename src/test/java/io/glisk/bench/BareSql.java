package io.glisk.bench;

import io.glisk.sql.SqlResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The generation stage's own claim and finish statements (the packaged sql/generation/claim.sql and
 * succeeded.sql, same parameters, same image size), run bare from a few threads: no HTTP, no Camel. Grouped, the
 * finishes of a claim are committed in one transaction, as the stage commits the finishes that arrive together
 * (at best a whole claim's); per row, each in its own. What the stage does beyond its SQL is what it loses
 * against this ceiling.
 */
final class BareSql {

    /**
     * Camel's SQL component names parameters :#name or :#${expression}; Spring's NamedParameterJdbcTemplate :name.
     * ${variable.image_url} becomes :image_url.
     */
    private static final Pattern CAMEL_PARAMETER = Pattern.compile(":#(?:\\$\\{variable\\.(\\w+)}|(\\w+))");

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final boolean grouped;
    private final String claimSql;
    private final String finishSql;

    BareSql(NamedParameterJdbcTemplate jdbc, boolean grouped) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getJdbcTemplate().getDataSource()));
        this.grouped = grouped;
        SqlResources sql = new SqlResources();
        this.claimSql = sql.load("sql/generation/claim.sql");
        this.finishSql = springNamed(sql.load("sql/generation/succeeded.sql"));
    }

    static String springNamed(String camelSql) {
        Matcher m = CAMEL_PARAMETER.matcher(camelSql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, ":" + (m.group(2) != null ? m.group(2) : m.group(1)));
        }
        return m.appendTail(out).toString();
    }

    /** Claims and finishes every detected token; answers tokens per second. */
    double run(int tokens, int batch, int threads, byte[] image) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> claimAndFinish(batch, image)));
            }
            int finished = 0;
            for (Future<Integer> f : done) {
                finished += f.get();
            }
            if (finished != tokens) {
                throw new IllegalStateException("bare SQL finished " + finished + " of " + tokens + " tokens");
            }
        } finally {
            pool.shutdownNow();
        }
        return tokens / ((System.nanoTime() - started) / 1e9);
    }

    private int claimAndFinish(int batch, byte[] image) {
        int finished = 0;
        while (true) {
            List<Map<String, Object>> rows = jdbc.queryForList(claimSql, new MapSqlParameterSource()
                    .addValue("owner", "bench-bare-sql").addValue("limit", batch).addValue("leaseSeconds", 30));
            if (rows.isEmpty()) {
                return finished;
            }
            List<MapSqlParameterSource> finishes = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                long tokenId = ((Number) row.get("token_id")).longValue();
                finishes.add(new MapSqlParameterSource()
                        .addValue("token_id", tokenId)
                        .addValue("lease_id", (UUID) row.get("lease_id"))
                        // as the stage stores an image that came inline in the answer: no URL
                        .addValue("image_url", null)
                        .addValue("prediction_id", "bare" + tokenId)
                        .addValue("censored", "false")
                        .addValue("lease_owner", "bench-bare-sql")
                        .addValue("image_type", "image/webp")
                        .addValue("image_bytes", image));
            }
            if (grouped) {
                transaction.executeWithoutResult(status ->
                        jdbc.batchUpdate(finishSql, finishes.toArray(MapSqlParameterSource[]::new)));
            } else {
                finishes.forEach(finish -> jdbc.update(finishSql, finish));
            }
            finished += finishes.size();
        }
    }
}
