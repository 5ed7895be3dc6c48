package io.glisk.avatar;

import io.glisk.settings.ConditionalOnStage;
import org.springframework.stereotype.Component;

/**
 * The prompt of a persona's base image: an ordinary phone selfie of someone of the persona's gender, ethnicity
 * and age, who could have written the Facebook bio, plus AVATAR_BASE_PROMPT_APPEND. The grids are made from
 * this picture, so it sets the face for all the persona's photos.
 */
@Component
@ConditionalOnStage("avatar")
public class BasePrompts {

    private final String append;

    public BasePrompts(AvatarSettings settings) {
        this.append = settings.basePromptAppend() == null ? "" : settings.basePromptAppend().strip();
    }

    public String basePrompt(Persona persona) {
        String who = persona.gender().equals("f") ? "woman" : "man";
        Integer age = persona.bios().age();
        StringBuilder prompt = new StringBuilder()
                .append("A casual selfie taken with a smartphone front camera by a ")
                .append(age == null ? "" : age + "-year-old ")
                .append(persona.ethnicity()).append(' ').append(who).append(". ")
                .append("Amateur camera look: natural everyday light, slightly off-centre framing, a little grain and "
                        + "softness, an ordinary background — not a studio portrait, no retouching, no filters. ")
                .append("Head and shoulders, looking into the camera, the whole face clearly visible. ")
                .append("The person wrote this about themselves: \"")
                .append(persona.bios().facebookBio()).append('"');
        if (!append.isEmpty()) {
            prompt.append(' ').append(append);
        }
        return prompt.toString();
    }
}
