package io.glisk.console;

import io.glisk.avatar.AvatarTaskViews;
import io.glisk.avatar.AvatarTasks;
import io.glisk.avatar.InvalidTaskRequest;
import io.glisk.avatar.TaskSubmission;
import io.glisk.settings.ConditionalOnStage;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The avatar data sets: the list of tasks (newest first, paged), the order form, a task's page (progress, counters,
 * usage, error log, cancel / retry / export, its personas paged with their photos, bios and facts) and the photos
 * themselves. What a task is and may do comes from the avatar stage's own views, validation and operations.
 */
@Controller
@ConditionalOnStage("avatar")
@RequestMapping("/ui/avatar")
class AvatarPages {

    static final int TASKS_PER_PAGE = 20;
    /** Two columns of four on a desk, one card after the other on a phone; up to 21 photos each. */
    static final int PERSONAS_PER_PAGE = 8;
    private static final int MAX_PAGE = 100_000;
    /** A task's page while it is worked on: the progress bar moves every second. */
    private static final int WORKING_REFRESH_MILLIS = 1_000;
    /** The list while a task on it is not finished, otherwise now and then (for tasks ordered elsewhere). */
    private static final int BUSY_REFRESH_MILLIS = 2_000;
    private static final int IDLE_REFRESH_MILLIS = 5_000;

    /** A bio's network: its key in a persona's bios and the tab's label. */
    record Network(String key, String label) {
    }

    static final List<Network> NETWORKS = List.of(new Network("facebook", "Facebook"),
            new Network("instagram", "Instagram"), new Network("x", "X"), new Network("tiktok", "TikTok"));

    /**
     * One place of a persona's gallery: the base selfie, then photo 1…K. {@code state} is stored, failed (with its
     * error), waiting (still to be made) or missing (the persona's work ended without it); the files are the names
     * {@link AvatarPhotos#key} takes.
     */
    record Photo(String label, String state, String file, String thumbFile, String error) {
    }

    /** A persona as its card shows it: the view's fields, and its gallery in order. */
    record PersonaCard(Map<String, Object> persona, List<Photo> photos) {
    }

    private final AvatarTaskViews views;
    private final AvatarTasks tasks;
    private final AvatarPhotos photos;

    AvatarPages(AvatarTaskViews views, AvatarTasks tasks, AvatarPhotos photos) {
        this.views = views;
        this.tasks = tasks;
        this.photos = photos;
    }

    /** What the order form's fields allow, from the validator itself. */
    @ModelAttribute("limits")
    Map<String, Object> limits() {
        return Map.of("minPersonas", TaskSubmission.MIN_PERSONAS, "maxPersonas", TaskSubmission.MAX_PERSONAS,
                "imagesPerPersona", TaskSubmission.IMAGES_PER_PERSONA,
                "maxDescription", TaskSubmission.MAX_DESCRIPTION_CHARS);
    }

    @GetMapping({"", "/"})
    String list(@RequestParam(defaultValue = "1") int page, Model model) {
        checkPage(page);
        Map<String, Object> answer = views.list(page - 1, TASKS_PER_PAGE);
        @SuppressWarnings("unchecked") List<Map<String, Object>> rows = (List<Map<String, Object>>) answer.get("tasks");
        long total = ((Number) answer.get("total")).longValue();
        model.addAttribute("tasks", rows);
        model.addAttribute("total", total);
        model.addAttribute("page", page);
        model.addAttribute("pages", pages(total, TASKS_PER_PAGE));
        model.addAttribute("counts", views.statusCounts());
        boolean busy = rows.stream().anyMatch(task -> !Boolean.TRUE.equals(task.get("finished")));
        model.addAttribute("refreshMillis", busy ? BUSY_REFRESH_MILLIS : IDLE_REFRESH_MILLIS);
        return "console/avatar-tasks";
    }

    @GetMapping("/new")
    String orderForm(Model model) {
        model.addAttribute("form", TaskForm.blank());
        model.addAttribute("errors", Map.of());
        return "console/avatar-new";
    }

    /**
     * The admin's order (AdminSecurity refuses it to anyone else, and without the form's CSRF token), checked by
     * the API's own validation: each wrong field gets its reason beside it, and the form comes back as sent.
     */
    @PostMapping("/new")
    String order(TaskForm form, Principal user, Model model, HttpServletResponse response, RedirectAttributes flash) {
        List<InvalidTaskRequest> problems = TaskSubmission.problems(form.body());
        if (!problems.isEmpty()) {
            Map<String, String> errors = new HashMap<>();
            problems.forEach(problem -> errors.putIfAbsent(problem.field(), reason(problem)));
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("form", form);
            model.addAttribute("errors", errors);
            return "console/avatar-new";
        }
        TaskSubmission submission = TaskSubmission.from(form.body());
        Map<String, Object> task = tasks.submit(submission, form.checkedRequestKey(), user.getName());
        if (Boolean.TRUE.equals(task.get("created"))) {
            flash.addFlashAttribute("notice", "Ordered: " + submission.personaCount() + " personas with "
                    + submission.imagesPerPersona() + " photos each. This page follows the work as it goes.");
        } else {
            flash.addFlashAttribute("notice", "This order had been sent already: here is its data set.");
        }
        return "redirect:/ui/avatar/" + task.get("task_id");
    }

    @GetMapping("/{taskId}")
    String task(@PathVariable String taskId, @RequestParam(defaultValue = "1") int page, Model model) {
        checkPage(page);
        Map<String, Object> task = views.task(find(taskId), page - 1, PERSONAS_PER_PAGE);
        @SuppressWarnings("unchecked") Map<String, Object> personas = (Map<String, Object>) task.get("personas");
        @SuppressWarnings("unchecked") List<Map<String, Object>> items = (List<Map<String, Object>>) personas.get("items");
        int perPersona = ((Number) task.get("imagesPerPersona")).intValue();
        long stored = ((Number) personas.get("total")).longValue();
        model.addAttribute("task", task);
        boolean working = !Boolean.TRUE.equals(task.get("finished"));
        model.addAttribute("cards", items.stream()
                .map(persona -> new PersonaCard(persona, gallery(persona, perPersona, working))).toList());
        model.addAttribute("networks", NETWORKS);
        model.addAttribute("page", page);
        model.addAttribute("pages", pages(stored, PERSONAS_PER_PAGE));
        model.addAttribute("refreshMillis", Boolean.TRUE.equals(task.get("finished")) ? null : WORKING_REFRESH_MILLIS);
        return "console/avatar-task";
    }

    /** The admin's cancel: a task nobody works on stops at once, one in work before its next billed call. */
    @PostMapping("/{taskId}/cancel")
    String cancel(@PathVariable String taskId, Principal user, RedirectAttributes flash) {
        Map<String, Object> row = find(taskId);
        Optional<Map<String, Object>> cancelled = tasks.cancel(AvatarTaskViews.key(row), user.getName());
        if (cancelled.isEmpty()) {
            flash.addFlashAttribute("problem", "Not cancelled: it is " + row.get("status") + " already.");
        } else if ("cancelled".equals(cancelled.get().get("status"))) {
            flash.addFlashAttribute("notice", "Cancelled. What is stored stays; Retry makes the rest.");
        } else {
            flash.addFlashAttribute("notice", "Cancel requested: the work stops before its next call to a provider. "
                    + "What is stored stays.");
        }
        return "redirect:/ui/avatar/" + row.get("task_id");
    }

    /** The admin's retry: the failed personas and photos, and the personas the persona flow did not give. */
    @PostMapping("/{taskId}/retry")
    String retry(@PathVariable String taskId, Principal user, RedirectAttributes flash) {
        Map<String, Object> row = find(taskId);
        Optional<Map<String, Object>> retried = tasks.retry(AvatarTaskViews.key(row), user.getName());
        if (retried.isEmpty()) {
            flash.addFlashAttribute("problem", "Not retried: it is " + row.get("status")
                    + (Boolean.TRUE.equals(row.get("in_work")) ? " and still in work." : " with nothing left to make."));
        } else {
            flash.addFlashAttribute("notice", "Back to work on " + retriedWork(retried.get()) + ".");
        }
        return "redirect:/ui/avatar/" + row.get("task_id");
    }

    /** A persona's photo or thumbnail, from the bucket through the service (see {@link AvatarPhotos}). */
    @GetMapping("/{taskId}/personas/{personaKey}/{file}")
    void photo(@PathVariable String taskId, @PathVariable long personaKey, @PathVariable String file,
               HttpServletResponse response) throws IOException {
        Map<String, Object> row = find(taskId);
        String key = AvatarPhotos.key(AvatarTaskViews.key(row), personaKey, file,
                        ((Number) row.get("images_per_persona")).intValue())
                .orElseThrow(() -> PageProblem.notFound("A persona has no such photo."));
        photos.send(key, response);
    }

    private Map<String, Object> find(String taskId) {
        return views.find(taskId).orElseThrow(() -> PageProblem.notFound("There is no avatar data set with this id."));
    }

    private static void checkPage(int page) {
        if (page < 1 || page > MAX_PAGE) {
            throw PageProblem.badRequest("page must be between 1 and " + MAX_PAGE);
        }
    }

    private static long pages(long items, int perPage) {
        return Math.max(1, (items + perPage - 1) / perPage);
    }

    /**
     * The validator's reason without the API's field name it starts with ("personaCount must be between 10 and
     * 300"), since the form shows it beside the field: "Must be between 10 and 300".
     */
    private static String reason(InvalidTaskRequest problem) {
        String message = problem.getMessage();
        String field = problem.field() + " ";
        if (problem.field() == null || !message.startsWith(field) || message.length() == field.length()) {
            return message;
        }
        String rest = message.substring(field.length());
        return Character.toUpperCase(rest.charAt(0)) + rest.substring(1);
    }

    /** "2 failed personas, 5 failed photos and 1 missing persona", or what a cancel left when nothing failed. */
    private static String retriedWork(Map<String, Object> retried) {
        List<String> parts = new ArrayList<>();
        counted(parts, retried.get("personas"), "failed persona");
        counted(parts, retried.get("images"), "failed photo");
        counted(parts, retried.get("missing"), "missing persona");
        if (parts.isEmpty()) {
            return "what was left undone";
        }
        String last = parts.remove(parts.size() - 1);
        return parts.isEmpty() ? last : String.join(", ", parts) + " and " + last;
    }

    private static void counted(List<String> parts, Object count, String what) {
        long n = ((Number) count).longValue();
        if (n > 0) {
            parts.add(n + " " + what + (n == 1 ? "" : "s"));
        }
    }

    /**
     * The base selfie first (every other photo is made from it), then each of the K photos in order. What is not made
     * is on its way while the task is worked on, and missing once it has ended (a cancel, a failure).
     */
    private static List<Photo> gallery(Map<String, Object> persona, int perPersona, boolean taskWorking) {
        boolean working = taskWorking && "pending".equals(persona.get("status"));
        List<Photo> gallery = new ArrayList<>();
        if (persona.get("baseImageUrl") != null) {
            gallery.add(new Photo("base photo", "stored", "base.png",
                    persona.get("baseThumbUrl") != null ? "thumb_base.png" : "base.png", null));
        } else {
            String state = working ? "waiting" : "failed".equals(persona.get("status")) ? "failed" : "missing";
            gallery.add(new Photo("base photo", state, null, null, (String) persona.get("error")));
        }
        Map<Integer, Map<String, Object>> made = new LinkedHashMap<>();
        @SuppressWarnings("unchecked") List<Map<String, Object>> images = (List<Map<String, Object>>) persona.get("images");
        images.forEach(image -> made.put(((Number) image.get("n")).intValue(), image));
        for (int n = 0; n < perPersona; n++) {
            Map<String, Object> image = made.get(n);
            String label = "photo " + (n + 1);
            if (image == null) {
                gallery.add(new Photo(label, working ? "waiting" : "missing", null, null, null));
            } else if ("stored".equals(image.get("status"))) {
                gallery.add(new Photo(label, "stored", "image_" + n + ".png",
                        image.get("thumbUrl") != null ? "thumb_" + n + ".png" : "image_" + n + ".png", null));
            } else {
                gallery.add(new Photo(label, "failed", null, null, (String) image.get("error")));
            }
        }
        return gallery;
    }
}
