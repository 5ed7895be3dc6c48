package io.glisk.avatar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.glisk.provider.TransientFailure;
import java.io.CharArrayReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.glisk.settings.ConditionalOnStage;
import org.springframework.stereotype.Component;

/**
 * Reads Flowise prediction answers ({@code {"text", "question", "chatId", "chatMessageId", …}}). The flows are
 * language models: the JSON asked for arrives in {@code text} as objects laid end to end, wrapped in prose or
 * code fences, sometimes as an array, with {@code bios} as a JSON string or an object. Each JSON value in the
 * text is read by a real JSON parser from where it starts, so braces and quotes inside strings never confuse
 * it, and prose between values is stepped over.
 *
 * <p>An incomplete or unreadable answer from a flow is a transient failure: asking again is what helps.
 */
@Component
@ConditionalOnStage("avatar")
public class FlowiseAnswers {

    /** Ten personas are some 20,000 characters; a text far beyond that is not an answer to our question. */
    static final int MAX_TEXT_CHARS = 1 << 20;
    /**
     * Characters read in vain from places that looked like JSON but were not, before the rest of a text is given
     * up on: a brace in prose costs a character or two, an unterminated string the whole rest of the text.
     */
    static final long MAX_FALSE_START_CHARS = 1L << 24;
    static final int MAX_NAME_CHARS = 100;
    static final int MAX_FACT_CHARS = 300;
    static final int MAX_BIO_CHARS = 5000;
    /** The image API takes prompts up to 32,000 characters. */
    static final int MAX_PROMPT_CHARS = 32_000;

    private static final List<String> BIOS = List.of("facebook_bio", "instagram_bio", "x_bio", "tiktok_bio");
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*(\\d{1,3})(?!\\d)");
    private static final Pattern FENCE = Pattern.compile("^\\s*```[\\w-]*\\s*(.*?)\\s*```\\s*$", Pattern.DOTALL);

    private final JsonFactory factory = JsonFactory.builder()
            // models write literal line breaks inside strings and leave trailing commas
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();
    private final ObjectMapper json = JsonMapper.builder(factory).build();

    /** The personas in a persona-flow answer, and a reason for each object left out. */
    public PersonaBatch personas(String answer) {
        String text = text(answer);
        List<Persona> personas = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int[] ordinal = {0};
        boolean complete = values(text, value -> {
            List<JsonNode> candidates = new ArrayList<>();
            if (value.isObject()) {
                candidates.add(value);
            } else if (value.isArray()) {
                value.forEach(element -> {
                    if (element.isObject()) {
                        candidates.add(element);
                    }
                });
            }
            for (JsonNode candidate : candidates) {
                ordinal[0]++;
                try {
                    Persona persona = persona(candidate);
                    if (!names.add(persona.fullName().toLowerCase(Locale.ROOT))) {
                        throw new Incomplete("the same name as an earlier persona");
                    }
                    personas.add(persona);
                } catch (Incomplete e) {
                    skipped.add("object " + ordinal[0] + label(candidate) + ": " + e.getMessage());
                }
            }
        });
        if (!complete) {
            skipped.add("the rest of the text after object " + ordinal[0] + " could not be read as JSON");
        }
        return new PersonaBatch(personas, skipped);
    }

    /** The {@code final_prompt} of an image-prompt-flow answer, whose text is {@code {"final_prompt": …}}. */
    public String finalPrompt(String answer) {
        String text = text(answer);
        String[] prompt = {null};
        values(text, value -> {
            JsonNode candidate = value.path("final_prompt");
            if (prompt[0] == null && candidate.isTextual() && !candidate.asText().isBlank()) {
                prompt[0] = candidate.asText().strip();
            }
        });
        if (prompt[0] == null) {
            throw new TransientFailure("Flowise image-prompt answer has no final_prompt");
        }
        if (prompt[0].length() > MAX_PROMPT_CHARS) {
            throw new TransientFailure("Flowise final_prompt is longer than " + MAX_PROMPT_CHARS + " characters");
        }
        return prompt[0];
    }

    /** The prediction's {@code text}, bounded. */
    private String text(String answer) {
        JsonNode envelope;
        try {
            envelope = answer == null ? null : json.readTree(answer);
        } catch (IOException e) {
            throw new TransientFailure("Flowise answered malformed JSON");
        }
        if (envelope == null || !envelope.isObject()) {
            throw new TransientFailure("Flowise answered something other than a JSON object");
        }
        JsonNode text = envelope.get("text");
        if (text == null || !text.isTextual()) {
            throw new TransientFailure("Flowise answer has no text");
        }
        if (text.asText().length() > MAX_TEXT_CHARS) {
            throw new TransientFailure("Flowise answer text is longer than " + MAX_TEXT_CHARS + " characters");
        }
        return text.asText();
    }

    /**
     * Hands every JSON object or array found in {@code text} to {@code sink}, in order. False when it gave up
     * on the rest of the text after too many places that looked like JSON but were not.
     */
    private boolean values(String text, Consumer<JsonNode> sink) {
        char[] chars = text.toCharArray();
        long wasted = 0;
        int at = 0;
        while ((at = nextOpening(chars, at)) >= 0) {
            JsonNode value;
            int length;
            try (JsonParser parser = factory.createParser(new CharArrayReader(chars, at, chars.length - at))) {
                value = json.readTree(parser);
                length = (int) parser.currentLocation().getCharOffset();
            } catch (IOException | RuntimeException notJson) {
                wasted += notJson instanceof JsonProcessingException j && j.getLocation() != null
                        ? Math.max(1, j.getLocation().getCharOffset()) : chars.length - at;
                if (wasted > MAX_FALSE_START_CHARS) {
                    return false;
                }
                at++;
                continue;
            }
            sink.accept(value);
            at += Math.max(1, length);
        }
        return true;
    }

    private static int nextOpening(char[] chars, int from) {
        for (int i = from; i < chars.length; i++) {
            if (chars[i] == '{' || chars[i] == '[') {
                return i;
            }
        }
        return -1;
    }

    private Persona persona(JsonNode node) {
        String firstname = required(node, "firstname", MAX_NAME_CHARS);
        String lastname = required(node, "lastname", MAX_NAME_CHARS);
        String gender = gender(required(node, "gender", MAX_NAME_CHARS));
        String ethnicity = required(node, "ethnicity", MAX_NAME_CHARS);
        JsonNode bios = bios(node.get("bios"));
        List<String> texts = new ArrayList<>();
        for (String bio : BIOS) {
            texts.add(required(bios, bio, MAX_BIO_CHARS));
        }
        return new Persona(firstname, lastname, gender, ethnicity, new Persona.Bios(
                texts.get(0), texts.get(1), texts.get(2), texts.get(3), age(bios.get("age")),
                optional(bios, "job_title", MAX_FACT_CHARS), optional(bios, "workplace", MAX_FACT_CHARS),
                optional(bios, "edu_establishment", MAX_FACT_CHARS), optional(bios, "edu_study", MAX_FACT_CHARS),
                optional(bios, "current_city", MAX_FACT_CHARS), optional(bios, "current_state", MAX_FACT_CHARS),
                optional(bios, "prev_city", MAX_FACT_CHARS), optional(bios, "prev_state", MAX_FACT_CHARS),
                optional(bios, "about", MAX_BIO_CHARS)));
    }

    /** bios is itself JSON in a string (the flow's habit), possibly fenced; or already an object. */
    private JsonNode bios(JsonNode bios) {
        if (bios != null && bios.isObject()) {
            return bios;
        }
        if (bios == null || !bios.isTextual() || bios.asText().isBlank()) {
            throw new Incomplete("no bios");
        }
        String text = bios.asText();
        Matcher fenced = FENCE.matcher(text);
        if (fenced.matches()) {
            text = fenced.group(1);
        }
        try {
            JsonNode parsed = json.readTree(text);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (IOException notJson) {
            // said below
        }
        throw new Incomplete("bios is not a JSON object");
    }

    private static String required(JsonNode node, String field, int maxChars) {
        String value = optional(node, field, maxChars);
        if (value == null) {
            throw new Incomplete("no " + field);
        }
        return value;
    }

    /** A non-blank text (a number is taken as its text), or null. */
    private static String optional(JsonNode node, String field, int maxChars) {
        JsonNode value = node.get(field);
        if (value == null || !(value.isTextual() || value.isNumber()) || value.asText().isBlank()) {
            return null;
        }
        String text = value.asText().strip();
        if (text.length() > maxChars) {
            throw new Incomplete(field + " is longer than " + maxChars + " characters");
        }
        return text;
    }

    private static String gender(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "m", "male", "man" -> "m";
            case "f", "female", "woman" -> "f";
            default -> throw new Incomplete("gender is neither m nor f");
        };
    }

    /** 29, "29" or "29 years old"; anything else is no age. */
    private static Integer age(JsonNode value) {
        if (value == null) {
            return null;
        }
        Matcher number = LEADING_NUMBER.matcher(value.asText());
        if (!(value.isIntegralNumber() || value.isTextual()) || !number.find()) {
            return null;
        }
        int age = Integer.parseInt(number.group(1));
        return age >= 1 && age <= 120 ? age : null;
    }

    private static String label(JsonNode candidate) {
        JsonNode first = candidate.get("firstname");
        JsonNode last = candidate.get("lastname");
        if (first == null || !first.isTextual() || last == null || !last.isTextual()) {
            return "";
        }
        String name = (first.asText() + " " + last.asText()).strip();
        return name.isEmpty() || name.length() > 2 * MAX_NAME_CHARS ? "" : " (" + name + ")";
    }

    /** Why one object is not a persona; caught per object, never leaves this class. */
    private static final class Incomplete extends RuntimeException {

        Incomplete(String reason) {
            super(reason, null, false, false);
        }
    }
}
