package io.glisk.avatar;

import com.fasterxml.jackson.databind.JsonNode;
import io.glisk.web.StorableText;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
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
    public static final int MIN_PERSONAS = 10;
    public static final int MAX_PERSONAS = 300;
    public static final List<Integer> IMAGES_PER_PERSONA = List.of(4, 8, 12, 16, 20);
    public static final int MAX_DESCRIPTION_CHARS = 2000;
    private static final Pattern LANGUAGE = Pattern.compile("\\p{L}[\\p{L}\\p{M} ()'’-]{0,49}");

    /** The submission, or the first problem in field order (an API answer names one field). */
    public static TaskSubmission from(JsonNode body) {
        Checked checked = check(body);
        if (!checked.problems().isEmpty()) {
            throw checked.problems().get(0);
        }
        return checked.submission();
    }

    /**
     * Every problem of the body, one per wrong field in field order (empty when it is a valid submission): a form
     * shows each next to its field at once, rather than one per try.
     */
    public static List<InvalidTaskRequest> problems(JsonNode body) {
        return check(body).problems();
    }

    private record Checked(TaskSubmission submission, List<InvalidTaskRequest> problems) {
    }

    private static Checked check(JsonNode body) {
        if (body == null || !body.isObject()) {
            return refused(new InvalidTaskRequest(null, "body must be a JSON object with the fields "
                    + String.join(", ", FIELDS)));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                return refused(new InvalidTaskRequest(name.length() > 100 ? name.substring(0, 100) : name,
                        "unknown field: the fields are " + String.join(", ", FIELDS)));
            }
        }
        List<InvalidTaskRequest> problems = new ArrayList<>();
        Integer personas = checked(problems, () -> personaCount(body));
        Integer images = checked(problems, () -> imagesPerPersona(body));
        String description = checked(problems, () -> description(body));
        String language = checked(problems, () -> language(body));
        return problems.isEmpty() ? new Checked(new TaskSubmission(personas, images, description, language), List.of())
                : new Checked(null, List.copyOf(problems));
    }

    private static Checked refused(InvalidTaskRequest problem) {
        return new Checked(null, List.of(problem));
    }

    /** The field's value, or null with its problem noted. */
    private static <T> T checked(List<InvalidTaskRequest> problems, Supplier<T> field) {
        try {
            return field.get();
        } catch (InvalidTaskRequest problem) {
            problems.add(problem);
            return null;
        }
    }

    private static int personaCount(JsonNode body) {
        int personas = integer(body, "personaCount");
        if (personas < MIN_PERSONAS || personas > MAX_PERSONAS) {
            throw new InvalidTaskRequest("personaCount", "personaCount must be between " + MIN_PERSONAS + " and "
                    + MAX_PERSONAS);
        }
        return personas;
    }

    private static int imagesPerPersona(JsonNode body) {
        int images = integer(body, "imagesPerPersona");
        if (!IMAGES_PER_PERSONA.contains(images)) {
            throw new InvalidTaskRequest("imagesPerPersona", "imagesPerPersona must be one of 4, 8, 12, 16 and 20");
        }
        return images;
    }

    private static String description(JsonNode body) {
        String description = text(body, "personaDescription");
        int chars = description.codePointCount(0, description.length());
        if (description.isBlank() || chars > MAX_DESCRIPTION_CHARS) {
            throw new InvalidTaskRequest("personaDescription", "personaDescription must be 1 to " + MAX_DESCRIPTION_CHARS
                    + " characters, not blank");
        }
        return description;
    }

    private static String language(JsonNode body) {
        String language = text(body, "bioLanguage").strip();
        if (!LANGUAGE.matcher(language).matches()) {
            throw new InvalidTaskRequest("bioLanguage", "bioLanguage must be a language's name such as English or "
                    + "Chinese (Mandarin): letters, spaces, parentheses, hyphens, at most 50 characters");
        }
        return language;
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
