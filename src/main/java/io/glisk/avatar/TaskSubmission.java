package io.glisk.avatar;

import com.fasterxml.jackson.databind.JsonNode;
import io.glisk.web.StorableText;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a task asks for, as {@code POST /api/avatar/tasks} sends it: {@code {"personaCount", "imagesPerPersona",
 * "personaDescription", "bioLanguage"}}, each checked here with a reason that names the field.
 *
 * @param personaCount       personas to make, 10..300
 * @param imagesPerPersona   photos of each, 4, 8, 12, 16 or 20 (grids of four)
 * @param personaDescription who they are, 1..2000 characters, as sent
 * @param bioLanguage        the language of the bios, a language's name such as "English" or "Chinese (Mandarin)"
 */
public record TaskSubmission(int personaCount, int imagesPerPersona, String personaDescription, String bioLanguage) {

    static final List<String> FIELDS = List.of("personaCount", "imagesPerPersona", "personaDescription", "bioLanguage");
    static final int MIN_PERSONAS = 10;
    static final int MAX_PERSONAS = 300;
    static final List<Integer> IMAGES_PER_PERSONA = List.of(4, 8, 12, 16, 20);
    static final int MAX_DESCRIPTION_CHARS = 2000;
    private static final Pattern LANGUAGE = Pattern.compile("\\p{L}[\\p{L}\\p{M} ()'’-]{0,49}");

    public static TaskSubmission from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidTaskRequest(null, "body must be a JSON object with the fields " + String.join(", ", FIELDS));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidTaskRequest(name.length() > 100 ? name.substring(0, 100) : name,
                        "unknown field: the fields are " + String.join(", ", FIELDS));
            }
        }
        int personas = integer(body, "personaCount");
        if (personas < MIN_PERSONAS || personas > MAX_PERSONAS) {
            throw new InvalidTaskRequest("personaCount", "personaCount must be between " + MIN_PERSONAS + " and "
                    + MAX_PERSONAS);
        }
        int images = integer(body, "imagesPerPersona");
        if (!IMAGES_PER_PERSONA.contains(images)) {
            throw new InvalidTaskRequest("imagesPerPersona", "imagesPerPersona must be one of 4, 8, 12, 16 and 20");
        }
        String description = text(body, "personaDescription");
        int chars = description.codePointCount(0, description.length());
        if (description.isBlank() || chars > MAX_DESCRIPTION_CHARS) {
            throw new InvalidTaskRequest("personaDescription", "personaDescription must be 1 to " + MAX_DESCRIPTION_CHARS
                    + " characters, not blank");
        }
        String language = text(body, "bioLanguage").strip();
        if (!LANGUAGE.matcher(language).matches()) {
            throw new InvalidTaskRequest("bioLanguage", "bioLanguage must be a language's name such as English or "
                    + "Chinese (Mandarin): letters, spaces, parentheses, hyphens, at most 50 characters");
        }
        return new TaskSubmission(personas, images, description, language);
    }

    private static int integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidTaskRequest(field, field + " is missing");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidTaskRequest(field, field + " must be a whole number");
        }
        return value.intValue();
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidTaskRequest(field, field + " is missing");
        }
        if (!value.isTextual()) {
            throw new InvalidTaskRequest(field, field + " must be a string");
        }
        String text = value.asText();
        String problem = StorableText.problem(text);
        if (problem != null) {
            throw new InvalidTaskRequest(field, field + " " + problem);
        }
        return text;
    }
}
