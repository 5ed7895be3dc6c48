package io.glisk.avatar;

import io.glisk.settings.ConditionalOnStage;
import io.glisk.sql.SqlResources;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Component;

/**
 * Avatar tasks as the API shows them: status, progress {@code (personas stored + photos stored) / (N + N·K)},
 * counts, usage, error log, and the personas with their bios, facts and picture URLs in order.
 */
@Component
@ConditionalOnStage("avatar")
public class AvatarTaskViews {

    /** A task's statuses in the order it goes through them; it ends in one of the last three. */
    public static final List<String> STATUSES = List.of("pending", "generating-data", "data-generated",
            "generating-images", "completed", "failed", "cancelled");
    /** The statuses a task ends in. */
    public static final Set<String> FINISHED = Set.of("completed", "failed", "cancelled");
    private static final Pattern TASK_ID = Pattern.compile("[0-9a-f]{8}");
    private static final Pattern TASK_KEY = Pattern.compile("[0-9]{1,18}");
    /** Lines of the error log shown with a task; the count says how many there are in all. */
    static final int ERROR_LOG_LINES = 1000;
    private static final int LIST_ERROR_LOG_LINES = 20;

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlResources sql;

    public AvatarTaskViews(NamedParameterJdbcTemplate jdbc, SqlResources sql) {
        this.jdbc = jdbc;
        this.sql = sql;
    }

    /** The task's row by its numeric key or short public id. */
    public Optional<Map<String, Object>> find(String id) {
        boolean shortId = TASK_ID.matcher(id).matches();
        boolean key = TASK_KEY.matcher(id).matches();
        if (!shortId && !key) {
            return Optional.empty();
        }
        return jdbc.queryForList(sql.load("sql/avatar/find-task.sql"), new MapSqlParameterSource()
                .addValue("id", shortId ? id : null).addValue("key", key ? Long.parseLong(id) : null)).stream().findFirst();
    }

    /** Finished or cancelled, and nobody works on it. */
    static boolean finished(Map<String, Object> task) {
        return FINISHED.contains((String) task.get("status")) && !Boolean.TRUE.equals(task.get("in_work"));
    }

    /** How many tasks are in each status, every status named (in {@link #STATUSES} order), zeros included. */
    public Map<String, Long> statusCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        STATUSES.forEach(status -> counts.put(status, 0L));
        jdbc.query(sql.load("sql/avatar/status-counts.sql"), row -> {
            counts.put(row.getString("status"), row.getLong("tasks"));
        });
        return counts;
    }

    public Map<String, Object> list(int page, int size) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(sql.load("sql/avatar/list-tasks.sql"),
                Map.of("size", size, "offset", (long) page * size))) {
            Map<String, Object> task = summary(row);
            task.put("errorCount", errorCount(key(row)));
            task.put("errorLog", errorLog(key(row), LIST_ERROR_LOG_LINES));
            tasks.add(task);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tasks", tasks);
        answer.put("page", page);
        answer.put("size", size);
        answer.put("total", jdbc.queryForObject(sql.load("sql/avatar/count-tasks.sql"), Map.of(), Long.class));
        return answer;
    }

    /** The whole task with a page of its personas. */
    public Map<String, Object> task(Map<String, Object> row, int page, int size) {
        Map<String, Object> task = summary(row);
        task.put("errorCount", errorCount(key(row)));
        task.put("errorLog", errorLog(key(row), ERROR_LOG_LINES));
        Map<String, Object> personas = new LinkedHashMap<>();
        personas.put("page", page);
        personas.put("size", size);
        personas.put("total", row.get("personas_stored"));
        personas.put("items", personas(key(row), size, (long) page * size));
        task.put("personas", personas);
        return task;
    }

    /** The task and all its personas with their photos, for an export. */
    public Map<String, Object> export(Map<String, Object> row) {
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("task", summary(row));
        export.put("personas", personas(key(row), null, 0));
        return export;
    }

    /** The task's personas with their photos, {@code size} of them from {@code offset} (all with a null size). */
    List<Map<String, Object>> personas(long taskKey, Integer size, long offset) {
        List<Map<String, Object>> rows = jdbc.queryForList(sql.load("sql/avatar/task-personas.sql"),
                new MapSqlParameterSource().addValue("taskKey", taskKey).addValue("size", size).addValue("offset", offset));
        Map<Long, List<Map<String, Object>>> images = images(rows);
        List<Map<String, Object>> personas = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long personaKey = ((Number) row.get("persona_key")).longValue();
            Map<String, Object> persona = new LinkedHashMap<>();
            persona.put("id", personaKey);
            persona.putAll(fields(row, "firstname", "lastname", "gender", "ethnicity", "age"));
            Map<String, Object> bios = new LinkedHashMap<>();
            bios.put("facebook", row.get("facebook_bio"));
            bios.put("instagram", row.get("instagram_bio"));
            bios.put("x", row.get("x_bio"));
            bios.put("tiktok", row.get("tiktok_bio"));
            persona.put("bios", bios);
            persona.put("facts", fields(row, "job_title", "workplace", "edu_establishment", "edu_study", "current_city",
                    "current_state", "prev_city", "prev_state", "about"));
            persona.putAll(fields(row, "status", "error", "base_image_key", "base_image_url", "base_thumb_url"));
            persona.put("usage", fields(row, "input_tokens", "output_tokens", "total_tokens"));
            List<Map<String, Object>> photos = images.getOrDefault(personaKey, List.of());
            persona.put("imageUrls", photos.stream().filter(i -> "stored".equals(i.get("status")))
                    .map(i -> i.get("url")).toList());
            persona.put("images", photos.stream().map(AvatarTaskViews::image).toList());
            personas.add(persona);
        }
        return personas;
    }

    private Map<Long, List<Map<String, Object>>> images(List<Map<String, Object>> personas) {
        if (personas.isEmpty()) {
            return Map.of();
        }
        Object[] keys = personas.stream().map(p -> p.get("persona_key")).toArray();
        return jdbc.queryForList(sql.load("sql/avatar/persona-images.sql"),
                        Map.of("personaKeys", new SqlArrayValue("bigint", keys))).stream()
                .collect(Collectors.groupingBy(row -> ((Number) row.get("persona_key")).longValue(),
                        LinkedHashMap::new, Collectors.toList()));
    }

    private static Map<String, Object> image(Map<String, Object> row) {
        Map<String, Object> image = fields(row, "n", "status");
        image.put("key", row.get("s3_key"));
        image.putAll(fields(row, "url", "thumb_url", "width", "height", "error"));
        return image;
    }

    /** The columns under their camelCase names, in the order given. */
    private static Map<String, Object> fields(Map<String, Object> row, String... columns) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String column : columns) {
            fields.put(camel(column), row.get(column) instanceof Timestamp at ? at.toInstant().toString() : row.get(column));
        }
        return fields;
    }

    private Map<String, Object> summary(Map<String, Object> row) {
        long personaCount = ((Number) row.get("persona_count")).longValue();
        long perPersona = ((Number) row.get("images_per_persona")).longValue();
        long personasStored = ((Number) row.get("personas_stored")).longValue();
        long imagesStored = ((Number) row.get("images_stored")).longValue();
        Map<String, Object> task = ids(row);
        task.put("personaCount", personaCount);
        task.put("imagesPerPersona", perPersona);
        task.putAll(fields(row, "persona_description", "bio_language"));
        task.put("progress", (double) (personasStored + imagesStored) / (personaCount + personaCount * perPersona));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("personasStored", personasStored);
        counts.putAll(fields(row, "personas_completed", "personas_failed", "images_stored", "images_failed"));
        counts.put("imagesExpected", personaCount * perPersona);
        task.put("counts", counts);
        task.put("usage", fields(row, "input_tokens", "output_tokens", "total_tokens"));
        task.putAll(fields(row, "cancel_requested", "in_work", "error", "submitted_by", "created_at", "started_at",
                "finished_at", "updated_at"));
        // what an operator may do now, as cancel.sql and retry.sql decide it
        String status = (String) row.get("status");
        boolean finished = finished(row);
        task.put("finished", finished);
        task.put("cancellable", !FINISHED.contains(status) && !Boolean.TRUE.equals(row.get("cancel_requested")));
        task.put("retryable", finished && (!"completed".equals(status) || personasStored < personaCount
                || ((Number) row.get("personas_failed")).longValue() > 0
                || ((Number) row.get("images_failed")).longValue() > 0));
        return task;
    }

    private List<Map<String, Object>> errorLog(long taskKey, int lines) {
        return jdbc.queryForList(sql.load("sql/avatar/error-log.sql"), Map.of("taskKey", taskKey, "limit", lines))
                .stream().map(row -> fields(row, "at", "persona_id", "persona", "image", "error")).toList();
    }

    /** {@code {"id", "taskId", "status"}}: what every answer about a task starts with. */
    static Map<String, Object> ids(Map<String, Object> row) {
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("id", row.get("task_key"));
        ids.put("taskId", row.get("task_id"));
        ids.put("status", row.get("status"));
        return ids;
    }

    /** How many lines the task's error log has. */
    private long errorCount(long taskKey) {
        return jdbc.queryForObject(sql.load("sql/avatar/error-count.sql"), Map.of("taskKey", taskKey), Long.class);
    }

    /** The numeric key of a task's row (of {@link #find}). */
    public static long key(Map<String, Object> row) {
        return ((Number) row.get("task_key")).longValue();
    }

    private static String camel(String column) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
