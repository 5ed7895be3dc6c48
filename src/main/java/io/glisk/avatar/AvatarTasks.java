package io.glisk.avatar;

import io.glisk.events.PipelineEvents;
import io.glisk.settings.ConditionalOnStage;
import io.glisk.sql.SqlResources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.Level;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What operators do to avatar tasks: submit one, cancel it, retry what failed, delete a finished one with its
 * pictures. Each change is logged as an event with who asked.
 */
@Component
@ConditionalOnStage("avatar")
public class AvatarTasks {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;
    private final AvatarStorage storage;

    public AvatarTasks(NamedParameterJdbcTemplate jdbc, SqlResources sql, AvatarStorage storage) {
        this.jdbc = jdbc;
        this.sql = sql;
        this.storage = storage;
    }

    /** The new task (created true), or the one submitted before under the same request key (created false). */
    public Map<String, Object> submit(TaskSubmission task, String requestKey, String user) {
        Map<String, Object> row = jdbc.queryForMap(sql.load("sql/avatar/submit.sql"), new MapSqlParameterSource()
                .addValue("personaCount", task.personaCount()).addValue("imagesPerPersona", task.imagesPerPersona())
                .addValue("personaDescription", task.personaDescription()).addValue("bioLanguage", task.bioLanguage())
                .addValue("requestKey", requestKey).addValue("user", user));
        PipelineEvents.event(Level.INFO, Boolean.TRUE.equals(row.get("created")) ? "avatar.task.submitted"
                        : "avatar.task.resubmitted").addKeyValue("task_id", row.get("task_id")).addKeyValue("user", user)
                .addKeyValue("personas", task.personaCount()).addKeyValue("images_per_persona", task.imagesPerPersona())
                .log();
        return row;
    }

    /** The task after the request, or empty when it was already finished. */
    public Optional<Map<String, Object>> cancel(long taskKey, String user) {
        List<Map<String, Object>> rows = jdbc.queryForList(sql.load("sql/avatar/cancel.sql"), Map.of("taskKey", taskKey));
        rows.forEach(row -> PipelineEvents.event(Level.WARN, "avatar.task.cancel_requested")
                .addKeyValue("task_id", row.get("task_id")).addKeyValue("user", user)
                .addKeyValue("status", row.get("status")).log());
        return rows.stream().findFirst();
    }

    /** The task back in its queue with how many personas and photos are retried, or empty when nothing can be. */
    public Optional<Map<String, Object>> retry(long taskKey, String user) {
        List<Map<String, Object>> rows = jdbc.queryForList(sql.load("sql/avatar/retry.sql"), Map.of("taskKey", taskKey));
        rows.forEach(row -> PipelineEvents.event(Level.WARN, "avatar.task.retried")
                .addKeyValue("task_id", row.get("task_id")).addKeyValue("user", user)
                .addKeyValue("personas", row.get("personas")).addKeyValue("images", row.get("images"))
                .addKeyValue("missing_personas", row.get("missing")).log());
        return rows.stream().findFirst();
    }

    /**
     * Deletes a finished or cancelled task (a row of {@link AvatarTaskViews#find}): its pictures, then its rows;
     * false when it may not be deleted (waiting or in work). The bucket goes first: if S3 fails, the task stays and
     * the deletion can be asked again.
     */
    public boolean delete(Map<String, Object> task, String user) {
        if (!AvatarTaskViews.finished(task)) {
            return false;
        }
        long taskKey = ((Number) task.get("task_key")).longValue();
        int objects = storage.deletePrefix(AvatarKeys.task(taskKey));
        boolean deleted = !jdbc.queryForList(sql.load("sql/avatar/delete-task.sql"), Map.of("taskKey", taskKey)).isEmpty();
        if (deleted) {
            PipelineEvents.event(Level.WARN, "avatar.task.deleted").addKeyValue("task_id", task.get("task_id"))
                    .addKeyValue("user", user).addKeyValue("objects", objects).log();
        }
        return deleted;
    }
}
