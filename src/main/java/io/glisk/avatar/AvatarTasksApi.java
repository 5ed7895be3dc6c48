package io.glisk.avatar;

import io.glisk.events.PipelineEvents;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.TransientFailure;
import io.glisk.settings.ConditionalOnStage;
import io.glisk.web.JsonBodies;
import io.glisk.web.RequestRejected;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.event.Level;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The avatar API (admin credentials to change anything; the viewer may read): submit a task, list them newest
 * first, one task with its progress, counts, usage, error log and a page of its personas, cancel, retry what
 * failed, delete a finished one with its pictures, and export a completed one as JSON, CSV or ZIP. A task is named
 * by its numeric id or its 8-character taskId. Errors are {@code {"error": …}}, with {@code "field"} when one field
 * of a submission is wrong.
 */
@RestController
@ConditionalOnStage("avatar")
@RequestMapping("/api/avatar/tasks")
class AvatarTasksApi {

    /** The four fields with the longest description, in JSON escapes, are far below this. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_PAGE_SIZE = 200;
    private static final Pattern REQUEST_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private final AvatarTasks tasks;
    private final AvatarTaskViews views;
    private final AvatarExports exports;

    AvatarTasksApi(AvatarTasks tasks, AvatarTaskViews views, AvatarExports exports) {
        this.tasks = tasks;
        this.views = views;
        this.exports = exports;
    }

    /**
     * A new task: 201 with {@code {"id", "taskId", "status"}}. The same {@code Idempotency-Key} sent again answers
     * the task it made (200) rather than making another.
     */
    @PostMapping
    ResponseEntity<Map<String, Object>> submit(HttpServletRequest request, Principal user,
                                               @RequestHeader(name = "Idempotency-Key", required = false) String requestKey)
            throws IOException {
        if (requestKey != null && !REQUEST_KEY.matcher(requestKey).matches()) {
            throw new InvalidTaskRequest("Idempotency-Key", "the Idempotency-Key header must be 1 to 200 visible ASCII "
                    + "characters");
        }
        TaskSubmission submission = TaskSubmission.from(JsonBodies.read(request, MAX_BODY_BYTES));
        Map<String, Object> task = tasks.submit(submission, requestKey, name(user));
        Map<String, Object> answer = AvatarTaskViews.ids(task);
        return Boolean.TRUE.equals(task.get("created"))
                ? ResponseEntity.created(URI.create("/api/avatar/tasks/" + task.get("task_key"))).body(answer)
                : ResponseEntity.ok(answer);
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        checkPage(page, size);
        return views.list(page, size);
    }

    @GetMapping("/{id}")
    Map<String, Object> task(@PathVariable String id, @RequestParam(defaultValue = "0") int page,
                             @RequestParam(defaultValue = "50") int size) {
        checkPage(page, size);
        return views.task(find(id), page, size);
    }

    @PostMapping("/{id}/cancel")
    Map<String, Object> cancel(@PathVariable String id, Principal user) {
        Map<String, Object> task = find(id);
        Map<String, Object> cancelled = tasks.cancel(AvatarTaskViews.key(task), name(user)).orElseThrow(() ->
                new RequestRejected(HttpStatus.CONFLICT, "task " + task.get("task_id") + " is " + task.get("status")
                        + ": there is nothing left to cancel"));
        Map<String, Object> answer = AvatarTaskViews.ids(cancelled);
        answer.put("cancelRequested", true);
        return answer;
    }

    /** Failed personas and photos (and personas the persona flow did not give) are made again; the rest stays. */
    @PostMapping("/{id}/retry")
    Map<String, Object> retry(@PathVariable String id, Principal user) {
        Map<String, Object> task = find(id);
        Map<String, Object> retried = tasks.retry(AvatarTaskViews.key(task), name(user)).orElseThrow(() ->
                new RequestRejected(HttpStatus.CONFLICT, "task " + task.get("task_id") + " is " + task.get("status")
                        + (AvatarTaskViews.finished(task) ? " with nothing failed to retry"
                                : ": only a finished or cancelled task can be retried")));
        Map<String, Object> answer = AvatarTaskViews.ids(retried);
        answer.put("personasRetried", retried.get("personas"));
        answer.put("imagesRetried", retried.get("images"));
        answer.put("personasMissing", retried.get("missing"));
        return answer;
    }

    /** A finished or cancelled task and its pictures are deleted: 204. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, Principal user) {
        Map<String, Object> task = find(id);
        if (!tasks.delete(task, name(user))) {
            throw new RequestRejected(HttpStatus.CONFLICT, "task " + task.get("task_id") + " is " + task.get("status")
                    + (Boolean.TRUE.equals(task.get("in_work")) ? " and in work" : "")
                    + ": only a finished or cancelled task can be deleted; cancel it first");
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/export.json")
    void exportJson(@PathVariable String id, HttpServletResponse response) throws IOException {
        Map<String, Object> task = completed(id);
        start(response, "application/json", task, "json");
        exports.json(task, response.getOutputStream());
    }

    @GetMapping("/{id}/export.csv")
    void exportCsv(@PathVariable String id, HttpServletResponse response) throws IOException {
        Map<String, Object> task = completed(id);
        start(response, "text/csv; charset=UTF-8", task, "csv");
        exports.csv(task, response.getOutputStream());
    }

    @GetMapping("/{id}/export.zip")
    void exportZip(@PathVariable String id, HttpServletResponse response) throws IOException {
        Map<String, Object> task = completed(id);
        start(response, "application/zip", task, "zip");
        exports.zip(task, response.getOutputStream());
    }

    private Map<String, Object> find(String id) {
        return views.find(id).orElseThrow(() -> new RequestRejected(HttpStatus.NOT_FOUND,
                "no avatar task " + (id.length() > 40 ? id.substring(0, 40) + "…" : id)));
    }

    private Map<String, Object> completed(String id) {
        Map<String, Object> task = find(id);
        if (!"completed".equals(task.get("status"))) {
            throw new RequestRejected(HttpStatus.CONFLICT, "task " + task.get("task_id") + " is " + task.get("status")
                    + ": only a completed task can be exported");
        }
        return task;
    }

    private static void start(HttpServletResponse response, String type, Map<String, Object> task, String extension) {
        response.setContentType(type);
        response.setHeader("Content-Disposition", "attachment; filename=\"avatar-task-" + task.get("task_id") + "."
                + extension + "\"");
    }

    private static void checkPage(int page, int size) {
        if (page < 0 || page > 1_000_000) {
            throw new InvalidTaskRequest("page", "page must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidTaskRequest("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
    }

    private static String name(Principal user) {
        return user == null ? "anonymous" : user.getName();
    }

    @ExceptionHandler(RequestRejected.class)
    ResponseEntity<Map<String, Object>> rejected(RequestRejected e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        if (e instanceof InvalidTaskRequest invalid && invalid.field() != null) {
            body.put("field", invalid.field());
        }
        return ResponseEntity.status(e.status()).body(body);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<Map<String, Object>> badParameter(Exception e) {
        String field = e instanceof MethodArgumentTypeMismatchException m ? m.getName()
                : ((MissingServletRequestParameterException) e).getParameterName();
        return rejected(new InvalidTaskRequest(field, field + " must be a whole number"));
    }

    /** The bucket could not be reached or refused: the answer says so, without the store's credentials. */
    @ExceptionHandler({TransientFailure.class, PermanentFailure.class, StageHalted.class})
    ResponseEntity<Map<String, Object>> storageFailed(RuntimeException e) {
        PipelineEvents.event(Level.WARN, "avatar.api_storage_failed").addKeyValue("error", e.getMessage()).log();
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Map<String, Object>> databaseUnavailable(DataAccessException e) {
        PipelineEvents.event(Level.WARN, "avatar.api_database_failed")
                .addKeyValue("error", PipelineEvents.failure(e)).log();
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error",
                "the database is unavailable; try again"));
    }
}
