package io.glisk.bench;

import io.glisk.image.Image;
import io.glisk.sql.SqlResources;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** One connection to a database of the service's PostgreSQL server; the statements are resources under bench/. */
final class Database implements AutoCloseable {

    private final SingleConnectionDataSource dataSource;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql = new SqlResources();

    private Database(SingleConnectionDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
    }

    static Database connect(int port, String database) {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "", true);
        dataSource.setAutoCommit(true);
        return new Database(dataSource);
    }

    DataSource dataSource() {
        return dataSource;
    }

    NamedParameterJdbcTemplate jdbc() {
        return jdbc;
    }

    void execute(String statement) {
        jdbc.getJdbcTemplate().execute(statement);
    }

    /** A script of several statements, run as one. */
    void run(String resource) {
        execute(sql.load(resource));
    }

    long author() {
        return jdbc.queryForObject(sql.load("bench/author.sql"), Map.of(), Long.class);
    }

    void insertTokens(long author, long first, long last) {
        jdbc.update(sql.load("bench/insert-tokens.sql"), Map.of("author", author, "first", first, "last", last));
    }

    long count(String status) {
        return jdbc.queryForObject(sql.load("bench/count-status.sql"), Map.of("status", status), Long.class);
    }

    /** Tokens not yet through generation (detected or generating). */
    long unfinished() {
        return jdbc.queryForObject(sql.load("bench/count-unfinished.sql"), Map.of(), Long.class);
    }

    /** When each of the tokens {@code first .. last} left generation, in seconds after its insert, earliest first. */
    List<Double> finishTimes(long first, long last) {
        return jdbc.queryForList(sql.load("bench/finish-times.sql"), Map.of("first", first, "last", last), Double.class);
    }

    /** Until generation has finished every token given to it. */
    void awaitGenerated(int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (unfinished() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("generation unfinished after " + seconds + " s: " + statusCounts());
            }
            Thread.sleep(50);
        }
    }

    Map<String, Long> statusCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query(sql.load("bench/status-counts.sql"), rs -> {
            counts.put(rs.getString("status"), rs.getLong("n"));
        });
        return counts;
    }

    void awaitStatus(String status, long count, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (count(status) < count) {
            if (System.nanoTime() > deadline) {
                throw new IOException("fewer than " + count + " tokens " + status + " after " + seconds + " s: " + statusCounts());
            }
            Thread.sleep(50);
        }
    }

    List<Double> pickups() {
        return jdbc.queryForList(sql.load("bench/pickups.sql"), Map.of(), Double.class);
    }

    /** An image the simulated Replicate made: the bare SQL stores the same bytes, the IPFS phase pins them. */
    Image anImage() {
        return jdbc.queryForObject("SELECT bytes, content_type FROM token_images LIMIT 1", Map.of(),
                (rs, row) -> new Image(rs.getBytes("bytes"), rs.getString("content_type")));
    }

    /** Tokens :first .. :last as the generation stage leaves them: uploading, with {@code image} kept. */
    void insertUploading(long author, long first, long last, Image image) {
        jdbc.update(sql.load("bench/insert-uploading.sql"), new MapSqlParameterSource().addValue("author", author)
                .addValue("first", first).addValue("last", last)
                .addValue("contentType", image.contentType()).addValue("bytes", image.bytes()));
    }

    long transactions(String database) {
        return jdbc.queryForObject(sql.load("bench/transactions.sql"), new MapSqlParameterSource("database", database), Long.class);
    }

    @Override
    public void close() {
        dataSource.destroy();
    }
}
