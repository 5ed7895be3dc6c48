package io.glisk.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.glisk.sql.SqlResources;
import io.glisk.support.PipelineTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Renewals keep held leases alive; a lease the database no longer has is reported lost only when it stays gone,
 * not when its work has just finished the row and is still ending (a false alarm a busy stage raised every few
 * renewals, for ten leases at a time).
 */
@ExtendWith(OutputCaptureExtension.class)
class HeldLeasesTest extends PipelineTest {

    private static final String RENEW = "sql/claim/renew.sql";

    @Autowired
    NamedParameterJdbcTemplate named;
    @Autowired
    SqlResources sql;
    @Autowired
    ClaimSettings settings;

    /** Leases of this test alone, renewed only when it says so (the service's own renew on their schedule). */
    private HeldLeases leases;
    private long author;

    @BeforeEach
    void ownLeases() {
        leases = new HeldLeases(named, sql, settings);
        author = author("0x4e1d000000000000000000000000000000000001", "held");
    }

    @Test
    void aLeaseWhoseWorkJustFinishedItsRowIsNotReportedLost(CapturedOutput output) {
        UUID lease = generating(71);
        leases.hold(lease, RENEW, this);
        // the work's finish is committed; its exchange is still ending when the renewal runs
        jdbc.update("UPDATE tokens_s0 SET status = 'failed', failed_stage = 'generation', lease_id = NULL, "
                + "lease_owner = NULL, lease_expires_at = NULL WHERE token_id = 71");
        leases.renew();
        leases.end(lease);
        leases.renew();

        assertThat(leases.isHeld(lease)).isFalse();
        assertThat(output.getOut()).doesNotContain("claim.lease_lost");
    }

    @Test
    void aLeaseTakenBackIsReportedLostWhenTheNextRenewalStillFindsItGone(CapturedOutput output) {
        UUID lost = generating(72);
        UUID kept = generating(73);
        leases.hold(lost, RENEW, this);
        leases.hold(kept, RENEW, this);
        // expired while its holder could not renew it, and claimed again since
        jdbc.update("UPDATE tokens_s0 SET lease_id = gen_random_uuid() WHERE token_id = 72");

        leases.renew();
        assertThat(leases.isHeld(lost)).isTrue();
        assertThat(output.getOut()).doesNotContain("claim.lease_lost");

        jdbc.update("UPDATE tokens_s0 SET lease_expires_at = now() + interval '1 second' WHERE token_id = 73");
        leases.renew();
        assertThat(leases.isHeld(lost)).isFalse();
        assertThat(output.getOut()).contains("claim.lease_lost").contains("leases=\"1\"");
        // the other one is still held, and renewed for a whole lease period
        assertThat(leases.isHeld(kept)).isTrue();
        assertThat(count("SELECT count(*) FROM tokens_s0 WHERE token_id = 73 "
                + "AND lease_expires_at > now() + interval '2 seconds'")).isEqualTo(1);
    }

    /** A token under a lease of its own, far from expiring, that no stage of this service holds. */
    private UUID generating(long tokenId) {
        UUID lease = UUID.randomUUID();
        jdbc.update("INSERT INTO tokens_s0 (token_id, author_id, status, lease_owner, lease_id, lease_expires_at) "
                + "VALUES (?, ?, 'generating', 'elsewhere', ?, now() + interval '1 hour')", tokenId, author, lease);
        return lease;
    }
}
