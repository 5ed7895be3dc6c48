package io.glisk.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.image.Image;
import io.glisk.image.ImageTypes;
import io.glisk.ipfs.IpfsGateway;
import io.glisk.ops.TokenOperations;
import io.glisk.sql.SqlResources;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The GLISK tokens: the list (newest first, by status, paged), one token's page with its story, its retry and image. */
@Controller
@RequestMapping("/ui/tokens")
class TokenPages {

    static final int PAGE_SIZE = 25;
    static final int MAX_PAGE = 10_000;
    /** The statuses a token goes through in order; failed is where any of them may end. */
    private static final List<String> PIPELINE = List.of("detected", "generating", "uploading", "ready", "revealed");
    /** While tokens are on their way the list refreshes often, otherwise now and then (for new mints). */
    private static final int BUSY_REFRESH_MILLIS = 2_000;
    private static final int IDLE_REFRESH_MILLIS = 5_000;
    /** Thumbnails are looked at again at every refresh: the browser keeps them a minute, then asks if they changed. */
    private static final CacheControl IMAGE_CACHE = CacheControl.maxAge(Duration.ofSeconds(60)).cachePrivate();

    /** One line of the token list. */
    record TokenRow(long tokenId, String status, String failedStage, int generationAttempts, int uploadAttempts,
                    int revealAttempts, String lastError, String imageCid, String imageUrl, String metadataCid,
                    String metadataUrl, String revealTxHash, Timestamp statusChangedAt, boolean hasImage) {
    }

    /** A status of the token's way through the pipeline: done, where it is now, where it failed, or still to come. */
    record Step(String status, String state) {
    }

    /** An entry of the token's story, its detail (a JSON object) as fields. */
    record StoryEvent(Timestamp createdAt, String stage, String event, Map<String, Object> detail) {
    }

    private final TokenOperations tokens;
    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final IpfsGateway gateway;
    private final GatewayImages gatewayImages;
    private final ObjectMapper json;

    TokenPages(TokenOperations tokens, NamedParameterJdbcTemplate jdbc, SqlResources sql, IpfsGateway gateway,
               GatewayImages gatewayImages, ObjectMapper json) {
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.sql = sql;
        this.gateway = gateway;
        this.gatewayImages = gatewayImages;
        this.json = json;
    }

    @GetMapping
    String list(@RequestParam(required = false) String status, @RequestParam(defaultValue = "1") int page, Model model) {
        String filter = status == null || status.isEmpty() ? null : status;
        if (filter != null && !TokenOperations.STATUSES.contains(filter)) {
            throw PageProblem.badRequest("status must be one of " + String.join(", ", TokenOperations.STATUSES));
        }
        if (page < 1 || page > MAX_PAGE) {
            throw PageProblem.badRequest("page must be between 1 and " + MAX_PAGE);
        }
        TokenSummary summary = TokenSummary.of(tokens.statusCounts());
        long matching = filter == null ? summary.total() : summary.tokens(filter);
        List<TokenRow> rows = jdbc.query(sql.load("sql/console/tokens.sql"), new MapSqlParameterSource()
                .addValue("status", filter).addValue("limit", PAGE_SIZE).addValue("offset", (page - 1) * PAGE_SIZE),
                (row, n) -> new TokenRow(row.getLong("token_id"), row.getString("status"), row.getString("failed_stage"),
                        row.getInt("generation_attempts"), row.getInt("upload_attempts"), row.getInt("reveal_attempts"),
                        row.getString("last_error"), row.getString("image_cid"), gatewayUrl(row.getString("image_cid")),
                        row.getString("metadata_cid"), gatewayUrl(row.getString("metadata_cid")),
                        row.getString("reveal_tx_hash"), row.getTimestamp("status_changed_at"), row.getBoolean("has_image")));
        model.addAttribute("summary", summary);
        model.addAttribute("status", filter);
        model.addAttribute("statuses", TokenOperations.STATUSES);
        model.addAttribute("rows", rows);
        model.addAttribute("page", page);
        model.addAttribute("pages", Math.max(1, (matching + PAGE_SIZE - 1) / PAGE_SIZE));
        model.addAttribute("matching", matching);
        model.addAttribute("refreshMillis", summary.queued() > 0 ? BUSY_REFRESH_MILLIS : IDLE_REFRESH_MILLIS);
        return "console/tokens";
    }

    @GetMapping("/{tokenId}")
    String token(@PathVariable long tokenId, Model model) {
        Map<String, Object> story = tokens.story(checked(tokenId))
                .orElseThrow(() -> PageProblem.notFound("There is no token " + tokenId + "."));
        String status = (String) story.get("status");
        model.addAttribute("token", story);
        model.addAttribute("steps", steps(status, (String) story.get("failed_stage")));
        model.addAttribute("events", events(story.get("events")));
        model.addAttribute("transactions", story.get("reveal_transactions"));
        model.addAttribute("hasImage", story.get("image_cid") != null || Boolean.TRUE.equals(story.get("image_kept")));
        // a revealed or failed token changes only when someone retries it
        model.addAttribute("refreshMillis", status.equals("revealed") || status.equals("failed") ? null : BUSY_REFRESH_MILLIS);
        return "console/token";
    }

    /** The admin's retry (AdminSecurity refuses it to anyone else, and without the form's CSRF token). */
    @PostMapping("/{tokenId}/retry")
    String retry(@PathVariable long tokenId, Principal user, RedirectAttributes flash) {
        TokenOperations.RetryOutcome outcome = tokens.retry(checked(tokenId), user.getName());
        if (!outcome.found()) {
            throw PageProblem.notFound("There is no token " + tokenId + ".");
        }
        if (outcome.retried()) {
            flash.addFlashAttribute("notice", "Token " + tokenId + " was sent back to " + outcome.status() + ".");
        } else {
            flash.addFlashAttribute("problem", "Not retried: " + outcome.refusal() + ".");
        }
        return "redirect:/ui/tokens/" + tokenId;
    }

    /**
     * The token's image: the bytes generation kept, or the pinned image through the gateway (fetched here, so the
     * browser only talks to the console). 404 while there is none.
     */
    @GetMapping("/{tokenId}/image")
    ResponseEntity<byte[]> image(@PathVariable long tokenId, WebRequest request) {
        List<Map<String, Object>> rows = jdbc.queryForList(sql.load("sql/console/token-image.sql"),
                Map.of("tokenId", checked(tokenId)));
        if (rows.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        byte[] kept = (byte[]) rows.get(0).get("bytes");
        String cid = (String) rows.get(0).get("image_cid");
        String tag = kept != null ? sha256(kept) : cid;
        if (tag == null) {
            return ResponseEntity.notFound().build();
        }
        if (request.checkNotModified("\"" + tag + "\"")) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).cacheControl(IMAGE_CACHE).build();
        }
        Optional<Image> image = kept != null ? Optional.ofNullable(ImageTypes.sniff(kept)).map(type -> new Image(kept, type))
                : gatewayImages.image(cid);
        return image.map(found -> ResponseEntity.ok().contentType(MediaType.parseMediaType(found.contentType()))
                        .cacheControl(IMAGE_CACHE).eTag("\"" + tag + "\"").body(found.bytes()))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.BAD_GATEWAY).build());
    }

    /** Token ids start at 1 on chain. */
    private static long checked(long tokenId) {
        if (tokenId < 1) {
            throw PageProblem.badRequest("a token id is a whole number from 1");
        }
        return tokenId;
    }

    private String gatewayUrl(String cid) {
        return cid == null ? null : gateway.url(cid);
    }

    private static List<Step> steps(String status, String failedStage) {
        // a failed token stopped in the status of the stage that failed it
        String at = !status.equals("failed") ? status : switch (failedStage == null ? "generation" : failedStage) {
            case "ipfs" -> "uploading";
            case "reveal" -> "ready";
            default -> "generating";
        };
        int position = PIPELINE.indexOf(at);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < PIPELINE.size(); i++) {
            String state = i < position ? "done" : i > position ? "todo"
                    : status.equals("failed") ? "failed" : status.equals("revealed") ? "done" : "current";
            steps.add(new Step(PIPELINE.get(i), state));
        }
        return steps;
    }

    @SuppressWarnings("unchecked")
    private List<StoryEvent> events(Object events) {
        List<StoryEvent> story = new ArrayList<>();
        for (Map<String, Object> event : (List<Map<String, Object>>) events) {
            story.add(new StoryEvent((Timestamp) event.get("created_at"), (String) event.get("stage"),
                    (String) event.get("event"), detail((String) event.get("detail"))));
        }
        return story;
    }

    private Map<String, Object> detail(String detail) {
        try {
            return json.readValue(detail, new TypeReference<>() {
            });
        } catch (JsonProcessingException e) {
            // jsonb always holds JSON, but an array or a scalar is not an object of fields
            return Map.of("detail", detail);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
