package io.glisk.avatar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.glisk.provider.TransientFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Persona-flow and image-prompt-flow answers in the shapes language models give them. */
class FlowiseAnswersTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final FlowiseAnswers answers = new FlowiseAnswers();

    /** A Flowise prediction answer around {@code text}. */
    static String answer(String text) {
        ObjectNode node = JSON.createObjectNode().put("text", text).put("question", "go")
                .put("chatId", "3f1c5e2a-7d1b-4c3e-9f00-5b2d1e0a9c11").put("chatMessageId", "a9e8d7c6-0000-4000-8000-123456789abc");
        node.putObject("executedData");
        return node.toString();
    }

    /** One persona object as the flow writes it: bios as a JSON string. */
    static String persona(String first, String last, String gender, Map<String, Object> bios) {
        try {
            ObjectNode node = JSON.createObjectNode().put("firstname", first).put("lastname", last)
                    .put("gender", gender).put("ethnicity", "Hispanic");
            node.put("bios", JSON.writeValueAsString(bios));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> bios(String facebook) {
        return Map.ofEntries(Map.entry("facebook_bio", facebook), Map.entry("instagram_bio", "Coffee ☕ + code"),
                Map.entry("x_bio", "Builder. Opinions mine."), Map.entry("tiktok_bio", "day in my life"),
                Map.entry("age", 29), Map.entry("job_title", "Nurse"), Map.entry("workplace", "St. Mary's"),
                Map.entry("edu_establishment", "UT Austin"), Map.entry("edu_study", "Nursing"),
                Map.entry("current_city", "Austin"), Map.entry("current_state", "TX"), Map.entry("prev_city", "El Paso"),
                Map.entry("prev_state", "TX"), Map.entry("about", "Loves hiking."));
    }

    @Test
    void objectsLaidEndToEndWithStringifiedBiosBecomeTypedPersonas() {
        String text = persona("Ana", "Diaz", "f", bios("Hi, I'm Ana!")) + persona("Ben", "Okafor", "m", bios("Ben here."))
                + "\n" + persona("Chloé", "Martin", "f", bios("Bonjour"));

        PersonaBatch batch = answers.personas(answer(text));

        assertThat(batch.skipped()).isEmpty();
        assertThat(batch.personas()).extracting(Persona::fullName).containsExactly("Ana Diaz", "Ben Okafor", "Chloé Martin");
        Persona ana = batch.personas().get(0);
        assertThat(ana.gender()).isEqualTo("f");
        assertThat(ana.ethnicity()).isEqualTo("Hispanic");
        assertThat(ana.bios()).isEqualTo(new Persona.Bios("Hi, I'm Ana!", "Coffee ☕ + code", "Builder. Opinions mine.",
                "day in my life", 29, "Nurse", "St. Mary's", "UT Austin", "Nursing", "Austin", "TX", "El Paso", "TX",
                "Loves hiking."));
    }

    @Test
    void proseCodeFencesAndAnArrayAreReadThrough() {
        String text = "Sure! Here are the personas you asked for:\n```json\n["
                + persona("Ana", "Diaz", "f", bios("a")) + ",\n" + persona("Ben", "Okafor", "m", bios("b"))
                + "]\n```\nAnd one more {as promised}:\n```\n" + persona("Cai", "Lin", "m", bios("c")) + "\n```\nEnjoy!";

        PersonaBatch batch = answers.personas(answer(text));

        assertThat(batch.personas()).extracting(Persona::fullName).containsExactly("Ana Diaz", "Ben Okafor", "Cai Lin");
        assertThat(batch.skipped()).isEmpty();
    }

    @Test
    void biosAsAnObjectOrAsFencedJsonInAStringAreAcceptedToo() throws Exception {
        ObjectNode asObject = (ObjectNode) JSON.readTree(persona("Ana", "Diaz", "f", bios("x")));
        asObject.set("bios", JSON.valueToTree(bios("object bios")));
        ObjectNode fenced = (ObjectNode) JSON.readTree(persona("Ben", "Okafor", "m", bios("y")));
        fenced.put("bios", "```json\n" + JSON.writeValueAsString(bios("fenced bios")) + "\n```");

        PersonaBatch batch = answers.personas(answer(asObject.toString() + fenced));

        assertThat(batch.personas()).extracting(p -> p.bios().facebookBio()).containsExactly("object bios", "fenced bios");
    }

    @Test
    void objectMissingARequiredKeyIsSkippedCountedAndNamed() throws Exception {
        ObjectNode noEthnicity = (ObjectNode) JSON.readTree(persona("Ben", "Okafor", "m", bios("b")));
        noEthnicity.remove("ethnicity");
        Map<String, Object> noInstagram = new java.util.HashMap<>(bios("c"));
        noInstagram.remove("instagram_bio");
        ObjectNode notJsonBios = (ObjectNode) JSON.readTree(persona("Dee", "Park", "f", bios("d")));
        notJsonBios.put("bios", "facebook: hi, instagram: hey");
        String text = persona("Ana", "Diaz", "f", bios("a")) + noEthnicity + persona("Cai", "Lin", "m", noInstagram)
                + notJsonBios + persona("Eve", "Stone", "x", bios("e")) + "{\"note\": \"that is all\"}";

        PersonaBatch batch = answers.personas(answer(text));

        assertThat(batch.personas()).extracting(Persona::fullName).containsExactly("Ana Diaz");
        assertThat(batch.skipped()).containsExactly(
                "object 2 (Ben Okafor): no ethnicity",
                "object 3 (Cai Lin): no instagram_bio",
                "object 4 (Dee Park): bios is not a JSON object",
                "object 5 (Eve Stone): gender is neither m nor f",
                "object 6: no firstname");
    }

    @Test
    void bracesQuotesAndLineBreaksInsideStringsDoNotConfuseIt() {
        String tricky = "My motto: {\"be\": \"kind\"} } ] [ \\\"quoted\\\" ``` not a fence";
        String text = persona("Ana", "Diaz", "f", bios(tricky)).replace("\"lastname\"", "\"lastname\"")
                + "{ \"firstname\": \"Ben\", \"lastname\": \"Okafor\", \"gender\": \"Male\", \"ethnicity\": \"Nigerian\","
                + " \"bios\": {\"facebook_bio\": \"line one\nline two\", \"instagram_bio\": \"i\", \"x_bio\": \"x\","
                + " \"tiktok_bio\": \"t\", \"age\": \"34 years old\",}, }";

        PersonaBatch batch = answers.personas(answer(text));

        assertThat(batch.skipped()).isEmpty();
        assertThat(batch.personas()).hasSize(2);
        assertThat(batch.personas().get(0).bios().facebookBio()).isEqualTo(tricky);
        Persona ben = batch.personas().get(1);
        assertThat(ben.gender()).isEqualTo("m");
        assertThat(ben.bios().facebookBio()).isEqualTo("line one\nline two");
        assertThat(ben.bios().age()).isEqualTo(34);
        assertThat(ben.bios().jobTitle()).isNull();
    }

    @Test
    void agesThatAreNotAgesAreLeftOut() {
        Map<String, Object> old = new java.util.HashMap<>(bios("a"));
        old.put("age", 300);
        Map<String, Object> words = new java.util.HashMap<>(bios("b"));
        words.put("age", "thirty");
        Map<String, Object> none = new java.util.HashMap<>(bios("c"));
        none.remove("age");

        PersonaBatch batch = answers.personas(answer(persona("A", "One", "f", old) + persona("B", "Two", "m", words)
                + persona("C", "Three", "f", none)));

        assertThat(batch.personas()).extracting(p -> p.bios().age()).containsExactly(null, null, null);
    }

    @Test
    void theSamePersonTwiceIsKeptOnce() {
        String text = persona("Ana", "Diaz", "f", bios("a")) + persona("ana", "DIAZ", "f", bios("again"));

        PersonaBatch batch = answers.personas(answer(text));

        assertThat(batch.personas()).extracting(p -> p.bios().facebookBio()).containsExactly("a");
        assertThat(batch.skipped()).containsExactly("object 2 (ana DIAZ): the same name as an earlier persona");
    }

    @Test
    void oversizedAnswersAndFieldsAreBounded() {
        assertThatThrownBy(() -> answers.personas(answer("x".repeat(FlowiseAnswers.MAX_TEXT_CHARS + 1))))
                .isInstanceOf(TransientFailure.class).hasMessageContaining("longer than");
        PersonaBatch batch = answers.personas(answer(persona("Ana", "Diaz", "f", bios("z".repeat(6000)))
                + persona("N".repeat(250), "Long", "m", bios("b"))));
        assertThat(batch.personas()).isEmpty();
        assertThat(batch.skipped()).containsExactly(
                "object 1 (Ana Diaz): facebook_bio is longer than 5000 characters",
                "object 2: firstname is longer than 100 characters");
    }

    @Test
    void hostileTextCannotMakeItSpinForEver() {
        // every bracket opens a value nested deeper than any parser reads: each is read far in vain
        String text = "[".repeat(200_000) + persona("Ana", "Diaz", "f", bios("a"));
        long start = System.nanoTime();

        PersonaBatch batch = answers.personas(answer(text));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(batch.skipped()).last().asString().contains("could not be read as JSON");
        // braces in ordinary prose cost nothing: the persona after them is found
        PersonaBatch prose = answers.personas(answer("{oops} [see below] {".repeat(20_000) + persona("Ana", "Diaz", "f", bios("a"))));
        assertThat(prose.personas()).extracting(Persona::fullName).containsExactly("Ana Diaz");
    }

    @Test
    void emptyOrUselessTextGivesNoPersonasAndAnUnreadableAnswerIsTransient() {
        assertThat(answers.personas(answer("I cannot help with that.")).personas()).isEmpty();
        assertThat(answers.personas(answer("")).skipped()).isEmpty();
        assertThatThrownBy(() -> answers.personas("<html>502 Bad Gateway</html>"))
                .isInstanceOf(TransientFailure.class).hasMessage("Flowise answered malformed JSON");
        assertThatThrownBy(() -> answers.personas("{\"question\": \"go\"}"))
                .isInstanceOf(TransientFailure.class).hasMessage("Flowise answer has no text");
        assertThatThrownBy(() -> answers.personas("{\"text\": {\"firstname\": \"Ana\"}}"))
                .isInstanceOf(TransientFailure.class).hasMessage("Flowise answer has no text");
        assertThatThrownBy(() -> answers.personas("[]")).isInstanceOf(TransientFailure.class);
        assertThatThrownBy(() -> answers.personas(null)).isInstanceOf(TransientFailure.class);
    }

    @Test
    void imagePromptIsTheFinalPromptWhereverTheModelPutIt() {
        assertThat(answers.finalPrompt(answer("{\"final_prompt\": \"A candid photo, golden hour\"}")))
                .isEqualTo("A candid photo, golden hour");
        assertThat(answers.finalPrompt(answer("```json\n{\n  \"final_prompt\": \"  4 photos {grid}\\n of Ana \"\n}\n```")))
                .isEqualTo("4 photos {grid}\n of Ana");
        assertThat(answers.finalPrompt(answer("Here you go: {\"reasoning\": \"x\"} then {\"final_prompt\": \"second\"}")))
                .isEqualTo("second");
    }

    @Test
    void imagePromptAnswerWithoutAUsablePromptIsAClearError() {
        for (String text : List.of("A candid photo of Ana", "{\"prompt\": \"x\"}", "{\"final_prompt\": \"  \"}",
                "{\"final_prompt\": 42}", "{\"final_prompt\": null}")) {
            assertThatThrownBy(() -> answers.finalPrompt(answer(text)))
                    .isInstanceOf(TransientFailure.class).hasMessage("Flowise image-prompt answer has no final_prompt");
        }
        assertThatThrownBy(() -> answers.finalPrompt(answer("{\"final_prompt\": \"" + "p".repeat(32_001) + "\"}")))
                .isInstanceOf(TransientFailure.class).hasMessageContaining("longer than 32000");
    }
}
