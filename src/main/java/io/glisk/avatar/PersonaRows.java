package io.glisk.avatar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.settings.ConditionalOnStage;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Personas and their prompts as the database keeps them: a batch from the persona flow as the JSON the store
 * statement reads (the flow's own field names), a stored row as a {@link Persona} again, grid rows as the list of
 * prompts already used.
 */
@Component
@ConditionalOnStage("avatar")
public class PersonaRows {

    private final ObjectMapper json = new ObjectMapper();

    public String json(PersonaBatch batch) {
        try {
            return json.writeValueAsString(batch.personas());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write personas as JSON", e);
        }
    }

    public Persona persona(Map<String, Object> row) {
        return new Persona(text(row, "firstname"), text(row, "lastname"), text(row, "gender"), text(row, "ethnicity"),
                new Persona.Bios(text(row, "facebook_bio"), text(row, "instagram_bio"), text(row, "x_bio"),
                        text(row, "tiktok_bio"), row.get("age") instanceof Number age ? age.intValue() : null,
                        text(row, "job_title"), text(row, "workplace"), text(row, "edu_establishment"),
                        text(row, "edu_study"), text(row, "current_city"), text(row, "current_state"),
                        text(row, "prev_city"), text(row, "prev_state"), text(row, "about")));
    }

    /** The {@code prompt} of each row. */
    public List<String> prompts(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> text(row, "prompt")).toList();
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }
}
