package io.glisk.authors;

import io.glisk.sql.SqlResources;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Authors' prompts and the nonces that set them, in PostgreSQL ({@code sql/authors/*.sql}). */
@Component
class AuthorPrompts {

    /** Expired nonces forgotten per accepted request: more than are added, so the table cannot grow. */
    static final int PURGE_LIMIT = 100;
    /** Kept past their expiry, so that instances whose clocks disagree a little never forget one too early. */
    static final Duration PURGE_GRACE = Duration.ofHours(1);

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;

    AuthorPrompts(NamedParameterJdbcTemplate jdbc, SqlResources sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /** Stores the prompt and uses up the nonce, or answers empty (and stores nothing) when the nonce was used. */
    Optional<AuthorView> set(WalletAddress wallet, String prompt, String nonce, Instant expiresAt) {
        return jdbc.query(sql.load("sql/authors/set-prompt.sql"), new MapSqlParameterSource()
                        .addValue("wallet", wallet.value())
                        .addValue("nonce", nonce)
                        .addValue("expiresAt", OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
                        .addValue("prompt", prompt),
                (rs, row) -> view(wallet, rs)).stream().findFirst();
    }

    Optional<AuthorView> find(WalletAddress wallet) {
        return jdbc.query(sql.load("sql/authors/find.sql"), new MapSqlParameterSource("wallet", wallet.value()),
                (rs, row) -> view(wallet, rs)).stream().findFirst();
    }

    int purgeExpiredNonces(Instant now) {
        return jdbc.update(sql.load("sql/authors/purge-nonces.sql"), new MapSqlParameterSource()
                .addValue("before", OffsetDateTime.ofInstant(now.minus(PURGE_GRACE), ZoneOffset.UTC))
                .addValue("limit", PURGE_LIMIT));
    }

    private static AuthorView view(WalletAddress wallet, ResultSet rs) throws SQLException {
        return new AuthorView(wallet.value(), rs.getBoolean("has_prompt"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
