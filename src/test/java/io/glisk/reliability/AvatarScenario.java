package io.glisk.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The avatar stage through random Flowise and OpenAI faults, its task's holder killed with SIGKILL at random
 * moments and started again: the task completes, the bucket holds each picture once under its own key, and a
 * persona's base image is made once (again only when a kill cut its making short).
 */
final class AvatarScenario implements Scenario {

    private static final double SHARE = 0.2;
    private static final int IMAGES_PER_PERSONA = 8;
    /** A picture takes this long to make, so that a kill lands in the middle of the task's work. */
    private static final long IMAGE_MILLIS = 1500;
    /** Seconds after the task was (again) taken up before its holder is killed. */
    private static final int MIN_GAP = 2;
    private static final int MAX_GAP = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "avatar";
    }

    @Override
    public String shows() {
        return "an avatar task through 20% random Flowise and OpenAI faults, its holder killed at random moments and "
                + "restarted: completed, no duplicate S3 object, each persona's base image made once";
    }

    @Override
    public void run(Lab lab, Size size, Outcome outcome) throws Exception {
        Random random = lab.random();
        int personas = size.avatarPersonas();
        outcome.figure("faults", Providers.Faults.avatarEveryKind(SHARE).asMap());
        try (Run run = Run.open(lab, name(), Providers.Faults.avatarEveryKind(SHARE), IMAGE_MILLIS, 2, 0, true)) {
            Service first = run.pipeline().instance(0);
            String body = JSON.writeValueAsString(Map.of("personaCount", personas, "imagesPerPersona", IMAGES_PER_PERSONA,
                    "personaDescription", "Lighthouse keepers on the Atlantic coast", "bioLanguage", "English"));
            HttpResponse<String> submitted = first.post("/api/avatar/tasks", body, Pipeline.ADMIN_USER,
                    run.pipeline().adminPassword());
            if (submitted.statusCode() != 201) {
                throw new IllegalStateException("the task was not accepted: " + submitted.statusCode() + " " + submitted.body());
            }
            long taskKey = JSON.readTree(submitted.body()).path("id").asLong();
            long began = System.nanoTime();

            List<Map<String, Object>> kills = new ArrayList<>();
            long claimsBefore = 0;
            for (int k = 1; k <= size.avatarKills(); k++) {
                // a new claim: the killed holder's lease stays on the task until it runs out and another takes it
                Long claims = awaitClaim(run, taskKey, claimsBefore);
                if (claims == null) {
                    break; // finished before this kill
                }
                claimsBefore = claims;
                Thread.sleep(1000L * MIN_GAP + random.nextInt(1000 * (MAX_GAP - MIN_GAP)));
                Map<String, Object> task = run.ledger().avatarTask(taskKey);
                if (task.get("lease_owner") == null || isOver(task)) {
                    break;
                }
                Service victim = run.pipeline().instances().stream()
                        .filter(s -> s.name().equals(task.get("lease_owner"))).findFirst().orElseThrow();
                double at = (System.nanoTime() - began) / 1e9;
                victim.kill();
                victim.start();
                kills.add(Map.of("at_s", Math.round(at * 10) / 10.0, "instance", victim.name(), "status", task.get("status"),
                        "photos_stored", task.get("images_stored")));
                System.out.printf("  kill %d of %d: %s at %.1f s (%s, %s photos stored)%n", k, size.avatarKills(),
                        victim.name(), at, task.get("status"), task.get("images_stored"));
            }

            Map<String, Object> task = awaitOver(run, taskKey);
            double seconds = (System.nanoTime() - began) / 1e9;
            outcome.figure("kills", kills.size());
            outcome.figure("kill_moments", kills);
            outcome.figure("seconds_submitted_to_completed", Math.round(seconds * 10) / 10.0);
            outcome.check("every kill landed while the task was being worked on", kills.size() == size.avatarKills(),
                    kills.size() + " of " + size.avatarKills());
            outcome.check("task completed", "completed".equals(task.get("status")),
                    task.get("status") + (task.get("error") == null ? "" : ", error: " + task.get("error")));
            int photos = personas * IMAGES_PER_PERSONA;
            outcome.check("every persona and photo ends stored, or failed with its reason",
                    number(task, "failures_without_reason") == 0 && number(task, "photos_missing") == 0
                            && number(task, "personas_completed") + number(task, "personas_failed") == personas,
                    "personas completed " + task.get("personas_completed") + ", failed " + task.get("personas_failed")
                            + "; photos stored " + task.get("images_stored") + " of " + photos + ", failed "
                            + task.get("images_failed") + "; failed without a reason " + task.get("failures_without_reason")
                            + ", neither stored nor failed " + task.get("photos_missing")
                            + (task.get("persona_errors") == null ? "" : "; personas failed: " + task.get("persona_errors")));
            outcome.figure("personas_failed", task.get("personas_failed"));
            outcome.figure("photos_stored", task.get("images_stored"));
            outcome.figure("photos_failed", task.get("images_failed"));

            Providers.Stats stats = run.providers().stats();
            checkBucket(run, taskKey, stats, kills.size(), outcome);
            checkBaseImages(run, taskKey, number(task, "personas_failed"), stats, kills.size(), outcome);
            outcome.figure("headline", personas + " personas × " + IMAGES_PER_PERSONA + " photos, " + kills.size()
                    + " kills: " + task.get("status") + " in " + Math.round(seconds) + " s, photos stored "
                    + task.get("images_stored") + ", failed with their reason " + task.get("images_failed")
                    + "; base images made again "
                    + outcome.figure("base_images_made_again") + ", S3 objects written again "
                    + outcome.figure("s3_objects_written_again") + ", duplicate objects "
                    + outcome.figure("s3_objects_not_named_by_the_database"));
        }
    }

    /**
     * The bucket holds exactly the pictures the database names (each persona's base image and photos, a thumbnail of
     * each), each under its own key — and each written once, unless a kill cut short the work that wrote it.
     */
    private static void checkBucket(Run run, long taskKey, Providers.Stats stats, int kills, Outcome outcome) {
        String prefix = run.providers().s3Url() + "/";
        Set<String> named = new HashSet<>();
        for (String url : run.ledger().avatarPictures(taskKey)) {
            named.add(url.startsWith(prefix) ? url.substring(prefix.length()) : url);
        }
        Map<String, Integer> writes = new TreeMap<>(stats.s3WritesByKey());
        List<String> extra = writes.keySet().stream().filter(key -> !named.contains(key)).toList();
        List<String> missing = named.stream().filter(key -> !writes.containsKey(key)).toList();
        outcome.check("no duplicate S3 object: the bucket holds the pictures and thumbnails the database names, "
                        + "nothing else", extra.isEmpty() && missing.isEmpty(),
                writes.size() + " objects written, " + named.size() + " named; not named: " + Audit.first(extra)
                        + "; named but never written: " + Audit.first(missing));
        int again = writes.values().stream().mapToInt(n -> n - 1).sum();
        // what a killed holder was storing: one grid's photos and their thumbnails per persona at work
        int bound = kills * Pipeline.PERSONA_CONCURRENCY * 8;
        outcome.check("S3 objects written again ≤ kills × persona concurrency × a grid's 4 photos and thumbnails ("
                + bound + ")", again <= bound, again + " written again; most writes of one key: "
                + writes.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        outcome.figure("s3_objects", writes.size());
        outcome.figure("s3_objects_not_named_by_the_database", extra.size());
        outcome.figure("s3_objects_written_again", again);
    }

    /**
     * Each persona's base image is made once: one generation per base prompt (each persona has its own), for every
     * persona with a base image — and again only for the personas whose base image a kill cut short. A persona that
     * failed its base image (attempts used up; a kill during a call spends one) may have had one made that was never
     * stored: its holder was killed before storing it.
     */
    private static void checkBaseImages(Run run, long taskKey, long failed, Providers.Stats stats, int kills,
                                        Outcome outcome) {
        Map<String, Integer> made = stats.baseImagesByPrompt();
        long stored = run.ledger().avatarPictures(taskKey).stream().filter(url -> url.endsWith("/base.png")).count();
        int again = made.values().stream().mapToInt(n -> n - 1).sum();
        int bound = kills * Pipeline.PERSONA_CONCURRENCY;
        outcome.check("one base prompt per persona with a base image, at most one more per persona failed at it",
                made.size() >= stored && made.size() <= stored + failed,
                made.size() + " base prompts, " + stored + " base images stored, " + failed + " personas failed");
        outcome.check("base image made once per persona; again only when a kill cut it short (≤ kills × persona "
                + "concurrency = " + bound + ")", again <= bound, again + " made again");
        outcome.figure("base_images", made.values().stream().mapToInt(Integer::intValue).sum());
        outcome.figure("base_images_made_again", again);
        outcome.figure("grid_edits", stats.gridEdits());
    }

    /** The task's claims once it was claimed more than {@code before} times and is held; null when it is over first. */
    private static Long awaitClaim(Run run, long taskKey, long before) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Object> task = run.ledger().avatarTask(taskKey);
            if (isOver(task)) {
                return null;
            }
            if (task.get("lease_owner") != null && number(task, "claims") > before) {
                return number(task, "claims");
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("nobody took the task up within " + SETTLE.toMinutes() + " min");
    }

    private static Map<String, Object> awaitOver(Run run, long taskKey) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Map<String, Object> task = run.ledger().avatarTask(taskKey);
        while (!isOver(task) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            task = run.ledger().avatarTask(taskKey);
        }
        return task;
    }

    private static boolean isOver(Map<String, Object> task) {
        return List.of("completed", "failed", "cancelled").contains(task.get("status"));
    }

    private static long number(Map<String, Object> task, String column) {
        return ((Number) task.get(column)).longValue();
    }
}
