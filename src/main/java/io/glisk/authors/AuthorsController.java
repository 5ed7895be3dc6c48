package io.glisk.authors;

import io.glisk.events.PipelineEvents;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.Level;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The author API, public: on {@code POST /api/authors/prompt} the wallet's signature is the authentication.
 * Errors are {@code {"error": "…"}}; neither the prompt nor the signature is ever echoed or logged.
 */
@RestController
@RequestMapping("/api/authors")
class AuthorsController {

    private final BoundedJsonBody bodies;
    private final PromptRules rules;
    private final WalletSignatures signatures;
    private final AuthorPrompts authors;

    AuthorsController(BoundedJsonBody bodies, PromptRules rules, WalletSignatures signatures, AuthorPrompts authors) {
        this.bodies = bodies;
        this.rules = rules;
        this.signatures = signatures;
        this.authors = authors;
    }

    /**
     * Sets the author's prompt (creating the author if unknown). The body is
     * {@code {"wallet", "prompt", "nonce", "expiresAt", "signature"}}, the signature the wallet's
     * {@code personal_sign} of the text {@link PromptMessage} describes; a nonce is good for one request.
     */
    @PostMapping("/prompt")
    AuthorView setPrompt(HttpServletRequest request) throws IOException {
        PromptRequest prompt = PromptRequest.from(bodies.read(request));
        rules.check(prompt.prompt());
        Instant now = Instant.now();
        prompt.checkValidity(now);
        Optional<WalletAddress> signer = signatures.signer(PromptMessage.of(prompt), prompt.signature());
        if (!signer.equals(Optional.of(prompt.wallet()))) {
            throw new AuthorRequestRejected(HttpStatus.UNAUTHORIZED, "signature does not match the wallet: it must be "
                    + "the wallet's EIP-191 personal_sign of exactly \"" + PromptMessage.FORMAT + "\" (UTF-8, \\n line "
                    + "breaks, the values exactly as in this request, the wallet in lower case)");
        }
        AuthorView author = authors.set(prompt.wallet(), prompt.prompt(), prompt.nonce(), prompt.expiresAt())
                .orElseThrow(() -> new AuthorRequestRejected(HttpStatus.CONFLICT,
                        "nonce already used for this wallet: sign a new message with a fresh nonce"));
        PipelineEvents.event(Level.INFO, "author.prompt_set").addKeyValue("wallet", prompt.wallet())
                .addKeyValue("prompt_chars", prompt.prompt().codePointCount(0, prompt.prompt().length())).log();
        purgeExpiredNonces(now);
        return author;
    }

    @GetMapping("/{wallet}")
    AuthorView author(@PathVariable String wallet) {
        WalletAddress address = WalletAddress.parse(wallet);
        return authors.find(address).orElseThrow(
                () -> new AuthorRequestRejected(HttpStatus.NOT_FOUND, "no author with wallet " + address));
    }

    @ExceptionHandler(AuthorRequestRejected.class)
    ResponseEntity<Map<String, String>> rejected(AuthorRequestRejected e, HttpServletRequest request) {
        // a refused prompt change is worth a line (a wallet UI building the message wrongly); a lookup is not
        if ("POST".equals(request.getMethod())) {
            PipelineEvents.event(Level.INFO, "author.prompt_refused").addKeyValue("status", e.status().value())
                    .addKeyValue("error", e.getMessage()).log();
        }
        return error(e.status(), e.getMessage());
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Map<String, String>> databaseUnavailable(DataAccessException e) {
        PipelineEvents.event(Level.WARN, "author.database_failed").addKeyValue("error", e.getMostSpecificCause().toString())
                .log();
        return error(HttpStatus.SERVICE_UNAVAILABLE, "the database is unavailable; try again");
    }

    /** Housekeeping after the answer is decided: a failure here must not turn a stored prompt into an error. */
    private void purgeExpiredNonces(Instant now) {
        try {
            authors.purgeExpiredNonces(now);
        } catch (DataAccessException e) {
            PipelineEvents.event(Level.WARN, "author.nonce_purge_failed").addKeyValue("error", e.getMessage()).log();
        }
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("error", message));
    }
}
