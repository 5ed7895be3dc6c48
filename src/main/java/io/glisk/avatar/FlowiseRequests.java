package io.glisk.avatar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.glisk.settings.ConditionalOnStage;
import org.springframework.stereotype.Component;

/**
 * Bodies of Flowise prediction requests. Agent flows take their inputs as the start node's state:
 * {@code {"question": "go", "overrideConfig": {"startState": {"startAgentflow_0": [{"key", "value"}, …]}}}},
 * every value a string.
 */
@Component
@ConditionalOnStage("avatar")
public class FlowiseRequests {

    /** The persona flow writes at most this many personas per call. */
    public static final int MAX_PERSONAS_PER_CALL = 10;

    private final AvatarSettings.BioInstructions instructions;
    private final ObjectMapper json = new ObjectMapper();

    public FlowiseRequests(AvatarSettings settings) {
        this.instructions = settings.bioInstructions();
    }

    /** Asks the persona flow for {@code amount} (1..10) personas fitting the description, bios in the language. */
    public Map<String, Object> personas(int amount, String description, String bioLanguage) {
        if (amount < 1 || amount > MAX_PERSONAS_PER_CALL) {
            throw new IllegalArgumentException("a persona request asks for 1.." + MAX_PERSONAS_PER_CALL + ", not " + amount);
        }
        List<Map<String, String>> state = new ArrayList<>();
        state.add(entry("requested_amount", Integer.toString(amount)));
        state.add(entry("persona_description", description));
        state.add(entry("bio_language", bioLanguage));
        state.add(entry("instructions_facebook", instructions.facebook()));
        state.add(entry("instructions_instagram", instructions.instagram()));
        state.add(entry("instructions_x", instructions.x()));
        state.add(entry("instructions_tiktok", instructions.tiktok()));
        return body(state);
    }

    /**
     * Asks the image-prompt flow for one more prompt for the persona: {@code person_data} is the persona as JSON
     * (the flow's field names), {@code prompts_history} the prompts already used, so the next one differs.
     */
    public Map<String, Object> imagePrompt(Persona persona, List<String> promptsUsed) {
        List<Map<String, String>> state = new ArrayList<>();
        state.add(entry("person_data", personData(persona)));
        if (!promptsUsed.isEmpty()) {
            StringBuilder history = new StringBuilder("Ideas already used, to avoid:");
            promptsUsed.forEach(prompt -> history.append("\n- ").append(prompt));
            state.add(entry("prompts_history", history.toString()));
        }
        return body(state);
    }

    private String personData(Persona persona) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("firstname", persona.firstname());
        data.put("lastname", persona.lastname());
        data.put("gender", persona.gender());
        data.put("bio_facebook", persona.bios().facebookBio());
        data.put("bio_instagram", persona.bios().instagramBio());
        data.put("bio_x", persona.bios().xBio());
        data.put("bio_tiktok", persona.bios().tiktokBio());
        data.put("ethnicity", persona.ethnicity());
        data.put("age", persona.bios().age());
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a persona as JSON", e);
        }
    }

    private static Map<String, String> entry(String key, String value) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("key", key);
        entry.put("value", value == null ? "" : value);
        return entry;
    }

    private static Map<String, Object> body(List<Map<String, String>> state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("question", "go");
        body.put("overrideConfig", Map.of("startState", Map.of("startAgentflow_0", state)));
        return body;
    }
}
