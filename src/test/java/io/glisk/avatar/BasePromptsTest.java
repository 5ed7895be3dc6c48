package io.glisk.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BasePromptsTest {

    static Persona persona(String gender, Integer age) {
        return new Persona("Ana", "Díaz", gender, "Hispanic", new Persona.Bios("Nurse in Austin, I love BBQ and live music.",
                "i", "x", "t", age, null, null, null, null, null, null, null, null, null));
    }

    @Test
    void selfieOfThePersonsGenderEthnicityAndAgeWithTheFacebookBioAndTheAppendedText() {
        String prompt = new BasePrompts(TestAvatarSettings.bind("AVATAR_BASE_PROMPT_APPEND", " No text or watermark. "))
                .basePrompt(persona("f", 29));

        assertThat(prompt).contains("selfie", "smartphone", "Amateur camera look", "29-year-old Hispanic woman",
                "\"Nurse in Austin, I love BBQ and live music.\"");
        assertThat(prompt).endsWith("\" No text or watermark.");
    }

    @Test
    void manWithoutKnownAgeAndNothingAppended() {
        String prompt = new BasePrompts(TestAvatarSettings.bind()).basePrompt(persona("m", null));

        assertThat(prompt).contains("by a Hispanic man.").doesNotContain("null").endsWith("live music.\"");
    }
}
