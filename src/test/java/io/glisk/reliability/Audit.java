package io.glisk.reliability;

import io.glisk.local.chain.LocalAccounts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The end state of a scenario, token by token, from the database, the chain and the providers' own counters:
 * nothing lost, nothing stuck, every failure with its reason, every revealed token carrying its metadata CID on
 * chain from exactly one transaction, one nonce sequence of the keeper with nothing sent twice or behind the
 * pipeline's back, and how many provider calls each token cost.
 */
final class Audit {

    /** Calls the providers answered for each token. */
    record Calls(Map<Long, Integer> predictions, Map<Long, Integer> filePins, Map<Long, Integer> jsonPins,
                 int fallbackPredictions) {

        /** Calls beyond one per token that got one. */
        static int extra(Map<Long, Integer> calls) {
            return calls.values().stream().mapToInt(n -> Math.max(0, n - 1)).sum();
        }
    }

    private final Run run;
    private final List<Ledger.Token> tokens;
    private final Calls calls;

    private Audit(Run run, List<Ledger.Token> tokens, Calls calls) {
        this.run = run;
        this.tokens = tokens;
        this.calls = calls;
    }

    List<Ledger.Token> tokens() {
        return tokens;
    }

    Calls calls() {
        return calls;
    }

    /** Checks the end state into {@code outcome} and records its figures there. */
    static Audit of(Run run, Outcome outcome) throws IOException, InterruptedException {
        List<Ledger.Token> tokens = run.ledger().tokens();
        Audit audit = new Audit(run, tokens, calls(run, tokens));
        audit.checkTokens(outcome);
        audit.checkChain(outcome);
        audit.figures(outcome);
        return audit;
    }

    private static Calls calls(Run run, List<Ledger.Token> tokens) throws IOException, InterruptedException {
        Providers.Stats stats = run.providers().stats();
        Map<Long, Integer> predictions = new HashMap<>();
        Map<Long, Integer> filePins = new HashMap<>();
        Map<Long, Integer> jsonPins = new HashMap<>();
        Set<String> prompts = new HashSet<>();
        for (Ledger.Token token : tokens) {
            prompts.add(token.prompt());
            predictions.put(token.id(), stats.predictionsByPrompt().getOrDefault(token.prompt(), 0));
            int files = 0;
            for (String extension : List.of("webp", "png", "jpg", "gif")) {
                files += stats.pinsByName().getOrDefault("glisk-s0-" + token.id() + "." + extension, 0);
            }
            filePins.put(token.id(), files);
            jsonPins.put(token.id(), stats.pinsByName().getOrDefault("glisk-s0-" + token.id() + ".json", 0));
        }
        int fallback = stats.predictionsByPrompt().entrySet().stream().filter(e -> !prompts.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue).sum();
        return new Calls(predictions, filePins, jsonPins, fallback);
    }

    private void checkTokens(Outcome outcome) {
        int minted = run.minted();
        Set<Long> ids = tokens.stream().map(Ledger.Token::id).collect(Collectors.toSet());
        List<Long> lost = new ArrayList<>();
        for (long id = 1; id <= minted; id++) {
            if (!ids.contains(id)) {
                lost.add(id);
            }
        }
        outcome.check("no token lost: every token minted is in the database", lost.isEmpty() && tokens.size() == minted,
                lost.isEmpty() ? minted + " of " + minted : "missing " + first(lost));
        List<String> stuck = tokens.stream().filter(t -> !t.status().equals("revealed") && !t.status().equals("failed"))
                .map(t -> t.id() + " " + t.status()).toList();
        outcome.check("none stuck: every token ends revealed or failed", stuck.isEmpty(),
                stuck.isEmpty() ? "all " + tokens.size() + " settled" : stuck.size() + " not settled: " + first(stuck));
        List<Long> silent = ids(t -> t.status().equals("failed") && (t.failure() == null || t.failure().isBlank()));
        outcome.check("every failed token has its reason", silent.isEmpty(),
                silent.isEmpty() ? count("failed") + " failed, each with its reason" : "no reason: " + first(silent));
        List<Long> leased = ids(Ledger.Token::leased);
        outcome.check("no lease left behind", leased.isEmpty(), leased.isEmpty() ? "none" : "still leased: " + first(leased));
    }

    private void checkChain(Outcome outcome) throws IOException {
        Chain chain = run.chain();
        List<Ledger.RevealTransaction> transactions = run.ledger().revealTransactions();
        Map<Long, String> onChain = chain.revealedUris(tokens.stream().map(Ledger.Token::id).toList());
        List<String> wrongUri = new ArrayList<>();
        for (Ledger.Token token : tokens) {
            String uri = onChain.get(token.id());
            boolean revealed = token.status().equals("revealed");
            if (revealed && !("ipfs://" + token.metadataCid()).equals(uri)) {
                wrongUri.add(token.id() + ": chain " + uri + ", database ipfs://" + token.metadataCid());
            } else if (!revealed && uri != null) {
                wrongUri.add(token.id() + " is " + token.status() + " but revealed on chain as " + uri);
            }
        }
        outcome.check("chain and database agree: each revealed token's tokenURI is ipfs://<its metadata_cid>, no other "
                + "token is revealed on chain", wrongUri.isEmpty(),
                wrongUri.isEmpty() ? onChain.size() + " tokens revealed on chain, as in the database" : first(wrongUri));

        Map<String, List<Long>> events = chain.revealEvents();
        Map<Long, List<String>> revealsOf = new TreeMap<>();
        events.forEach((tx, ids) -> ids.forEach(id -> revealsOf.computeIfAbsent(id, k -> new ArrayList<>()).add(tx)));
        List<String> twice = revealsOf.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey() + " in " + e.getValue()).toList();
        Map<Long, Long> confirmedPerToken = transactions.stream().filter(t -> t.status().equals("confirmed"))
                .flatMap(t -> t.tokenIds().stream()).collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        confirmedPerToken.forEach((id, n) -> {
            if (n > 1) {
                twice.add(id + " in " + n + " confirmed transactions of the database");
            }
        });
        outcome.check("exactly-once reveal: no token in two reveal transactions", twice.isEmpty(),
                twice.isEmpty() ? events.size() + " reveal transactions on chain" : first(twice));
        List<String> wrongTx = tokens.stream().filter(t -> t.status().equals("revealed"))
                .filter(t -> t.revealTxHash() == null || !revealsOf.getOrDefault(t.id(), List.of()).contains(t.revealTxHash()))
                .map(t -> t.id() + " says " + t.revealTxHash() + ", chain " + revealsOf.get(t.id())).toList();
        outcome.check("each revealed token names the transaction that revealed it", wrongTx.isEmpty(),
                wrongTx.isEmpty() ? "all" : first(wrongTx));

        // the keeper sends nothing but reveals: every transaction it had mined must be one the pipeline recorded
        String keeper = LocalAccounts.KEEPER.getAddress().toLowerCase();
        Map<String, Ledger.RevealTransaction> byHash = transactions.stream()
                .collect(Collectors.toMap(Ledger.RevealTransaction::txHash, t -> t, (a, b) -> a));
        List<String> unknown = new ArrayList<>();
        Set<Long> nonces = new HashSet<>();
        for (String tx : events.keySet()) {
            Chain.Sent sent = chain.sent(tx);
            Ledger.RevealTransaction recorded = byHash.get(tx);
            if (!sent.from().equals(keeper) || recorded == null || !recorded.status().equals("confirmed")
                    || recorded.nonce() != sent.nonce()) {
                unknown.add(tx + " (nonce " + sent.nonce() + ", recorded " + (recorded == null ? "never" : recorded.status()) + ")");
            }
            nonces.add(sent.nonce());
        }
        long reverted = transactions.stream().filter(t -> t.status().equals("failed") && t.error() != null
                && t.error().startsWith("reverted on chain")).count();
        long keeperNonce = chain.nonce(keeper);
        Map<String, Long> sameNonce = transactions.stream().filter(t -> t.status().equals("confirmed"))
                .collect(Collectors.groupingBy(t -> t.sender() + "/" + t.nonce(), Collectors.counting()));
        List<String> reused = sameNonce.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        boolean consecutive = keeperNonce == events.size() + reverted && nonces.size() == events.size()
                && nonces.stream().allMatch(n -> n < keeperNonce);
        outcome.check("one reveal sender at a time: the keeper's nonces are consecutive, none confirmed twice, every mined "
                + "transaction recorded first", unknown.isEmpty() && reused.isEmpty() && consecutive,
                "keeper nonce " + keeperNonce + ", reveals mined " + events.size() + ", reverted " + reverted
                        + (unknown.isEmpty() ? "" : "; not recorded as confirmed: " + first(unknown))
                        + (reused.isEmpty() ? "" : "; nonce confirmed twice: " + first(reused)));
        List<String> chosenTwice = run.ledger().noncesChosenTwice();
        outcome.check("no nonce chosen twice: no transaction recorded on a nonce another one still held",
                chosenTwice.isEmpty(), chosenTwice.isEmpty() ? "none" : first(chosenTwice));
        Map<String, Long> byStatus = transactions.stream()
                .collect(Collectors.groupingBy(Ledger.RevealTransaction::status, TreeMap::new, Collectors.counting()));
        outcome.figure("reveal_transactions", byStatus);
    }

    private void figures(Outcome outcome) {
        outcome.figure("tokens", tokens.size());
        outcome.figure("revealed", count("revealed"));
        outcome.figure("failed", count("failed"));
        Map<String, Long> failedBy = tokens.stream().filter(t -> t.status().equals("failed"))
                .collect(Collectors.groupingBy(t -> t.failedStage() + ": " + reason(t.failure()), TreeMap::new,
                        Collectors.counting()));
        outcome.figure("failed_by_reason", failedBy);
        outcome.figure("censored", tokens.stream().filter(Ledger.Token::censored).count());
        outcome.figure("generation_attempts", attempts(Ledger.Token::generationAttempts));
        outcome.figure("upload_attempts", attempts(Ledger.Token::uploadAttempts));
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("predictions", calls.predictions().values().stream().mapToInt(Integer::intValue).sum()
                + calls.fallbackPredictions());
        provider.put("predictions_per_token", spread(calls.predictions()));
        provider.put("fallback_predictions", calls.fallbackPredictions());
        provider.put("file_pins_per_token", spread(calls.filePins()));
        provider.put("json_pins_per_token", spread(calls.jsonPins()));
        provider.put("extra_predictions", Calls.extra(calls.predictions()));
        provider.put("extra_file_pins", Calls.extra(calls.filePins()));
        provider.put("extra_json_pins", Calls.extra(calls.jsonPins()));
        outcome.figure("provider_calls", provider);
    }

    long count(String status) {
        return tokens.stream().filter(t -> t.status().equals(status)).count();
    }

    private List<Long> ids(Predicate<Ledger.Token> which) {
        return tokens.stream().filter(which).map(Ledger.Token::id).toList();
    }

    private Map<String, Object> attempts(java.util.function.ToIntFunction<Ledger.Token> of) {
        IntSummaryStatistics stats = tokens.stream().mapToInt(of).summaryStatistics();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("total", stats.getSum());
        figures.put("max", stats.getMax());
        figures.put("tokens_with_more_than_one", tokens.stream().filter(t -> of.applyAsInt(t) > 1).count());
        return figures;
    }

    private static Map<String, Object> spread(Map<Long, Integer> calls) {
        IntSummaryStatistics stats = calls.values().stream().mapToInt(Integer::intValue).summaryStatistics();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("min", stats.getMin());
        figures.put("max", stats.getMax());
        figures.put("mean", Math.round(stats.getAverage() * 1000) / 1000.0);
        return figures;
    }

    /** An error reduced to its kind: ids, numbers and long tokens left out, so that alike failures group together. */
    static String reason(String error) {
        if (error == null) {
            return "(none)";
        }
        String reduced = error.replaceAll("[A-Za-z0-9_-]{20,}", "…").replaceAll("\\d+", "#");
        return reduced.length() > 120 ? reduced.substring(0, 120) + "…" : reduced;
    }

    static String first(List<?> items) {
        return items.size() <= 5 ? items.toString() : items.subList(0, 5) + " and " + (items.size() - 5) + " more";
    }
}
