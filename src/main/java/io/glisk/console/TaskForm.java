package io.glisk.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The avatar order form as sent (every field as typed, so that a refused form comes back as the reader left it).
 *
 * @param requestKey a random key the form is rendered with: sent twice (a double click, a reload of the answer), it
 *                   is the same task, through the API's Idempotency-Key
 */
record TaskForm(String personaCount, String imagesPerPersona, String personaDescription, String bioLanguage,
                String requestKey) {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d{1,30}");
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** A new form with what most orders start from. */
    static TaskForm blank() {
        return new TaskForm("10", "4", "", "English", UUID.randomUUID().toString());
    }

    /**
     * The form as the API's JSON body, for the API's own validation: numbers where the reader typed one (how large
     * is the validator's business), text otherwise, an empty field left out (the validator says it is missing).
     * A browser sends a textarea's line breaks as CR LF: they are counted and stored as the one character the reader
     * typed.
     */
    ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        number(body, "personaCount", personaCount);
        number(body, "imagesPerPersona", imagesPerPersona);
        if (personaDescription != null) {
            body.put("personaDescription", personaDescription.replace("\r\n", "\n"));
        }
        if (bioLanguage != null && !bioLanguage.isEmpty()) {
            body.put("bioLanguage", bioLanguage);
        }
        return body;
    }

    /** The form's key when it is one the console made, else none (the task is then made without one). */
    String checkedRequestKey() {
        return requestKey != null && UUID_TEXT.matcher(requestKey).matches() ? requestKey : null;
    }

    private static void number(ObjectNode body, String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        String typed = value.strip();
        if (WHOLE_NUMBER.matcher(typed).matches()) {
            body.put(field, new BigInteger(typed));
        } else {
            body.put(field, value);
        }
    }
}
