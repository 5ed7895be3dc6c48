package io.glisk.local.avatar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes what the simulated flows answer in {@code text}: personas as a language model lays them out (objects end
 * to end, bios as a JSON string), optionally in the odd shapes models also use, and image prompts as
 * {@code {"final_prompt": …}}. Drawn from small name and place lists by a seed, so a call is repeatable.
 */
final class SimulatedPersonas {

    private static final String[] WOMEN = {"Ana", "Chloé", "Priya", "Mei", "Amara", "Sofia", "Hannah", "Leila", "Yuki",
            "Grace", "Camila", "Ingrid", "Zanele", "Olivia", "Fatima", "Elena", "Nadia", "Rosa", "Aisha", "Lena", "Maya",
            "Tara", "Jade", "Noor"};
    private static final String[] MEN = {"Ben", "Mateo", "Arjun", "Kenji", "Kwame", "Lucas", "Omar", "Noah", "Diego",
            "Tomasz", "Ethan", "Jamal", "Sven", "Hiro", "Rafael", "Liam", "Samir", "Felix", "Marco", "Tariq", "Owen",
            "Ravi", "Luca", "Emeka"};
    private static final String[] LAST = {"Diaz", "Okafor", "Martin", "Patel", "Chen", "Mensah", "Rossi", "Nguyen",
            "Kowalski", "Haddad", "Tanaka", "Johansson", "Silva", "Murphy", "Schmidt", "Ali", "Brooks", "Moreau", "Garcia",
            "Adeyemi", "Kim", "Novak", "Fischer", "Costa", "Reyes", "Hughes", "Singh", "Park", "Dubois", "Walsh", "Ortiz",
            "Bauer", "Sato", "Lindqvist", "Mwangi", "Ferreira", "Kaplan", "Yilmaz", "Ward", "Castillo", "Abbasi", "Lopez",
            "Hansen", "Okoro", "Baker", "Romero", "Wright", "Petrov"};
    private static final String[] ETHNICITIES = {"Hispanic", "West African", "South Asian", "East Asian", "White European",
            "Middle Eastern", "Black American", "Scandinavian", "Mixed"};
    private static final String[][] PLACES = {{"Austin", "TX"}, {"Denver", "CO"}, {"Portland", "OR"}, {"Atlanta", "GA"},
            {"Chicago", "IL"}, {"Tampa", "FL"}, {"Phoenix", "AZ"}, {"Columbus", "OH"}, {"Raleigh", "NC"}, {"Boise", "ID"}};
    private static final String[][] JOBS = {{"Nurse", "St. Mary's Hospital", "Nursing"},
            {"Software Engineer", "a fintech startup", "Computer Science"}, {"Teacher", "Lincoln Elementary", "Education"},
            {"Barista", "Blue Door Coffee", "Art History"}, {"Accountant", "Hill & Partners", "Accounting"},
            {"Electrician", "BrightLine Electric", "Electrical Technology"}, {"Designer", "Studio North", "Graphic Design"}};
    private static final String[] SCHOOLS = {"State University", "City College", "Technical Institute", "Community College"};
    private static final String[] HOBBIES = {"hiking", "live music", "baking sourdough", "trail running", "board games",
            "gardening", "photography", "salsa dancing", "fishing", "thrifting"};
    private static final String[] SCENES = {"at a farmers market holding a coffee", "on a hiking trail at golden hour",
            "at their desk at work", "at a friend's birthday dinner", "on a city bike", "in the kitchen baking",
            "at the beach in a hoodie", "in a park with a dog", "at a concert, blurry lights", "on a bus by the window",
            "at a bookstore", "in a gym mirror selfie"};

    private final ObjectMapper json = new ObjectMapper();

    /**
     * The text of a persona-flow answer with {@code amount} personas.
     *
     * @param shape           0 plain; 1 prose and a code fence; 2 a fenced array with bios as an object; 3 prose between objects
     * @param incompleteEvery every n-th persona of the whole run (counted by {@code firstOrdinal}) lacks its ethnicity
     */
    String personas(long seed, int amount, String description, String language, int shape, int incompleteEvery,
                    long firstOrdinal) {
        Random random = new Random(seed);
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < amount; i++) {
            boolean incomplete = incompleteEvery > 0 && (firstOrdinal + i) % incompleteEvery == incompleteEvery - 1;
            objects.add(persona(random, description, language, shape == 2, incomplete));
        }
        return switch (shape) {
            case 1 -> "Here are " + amount + " personas matching \"" + description + "\":\n```json\n"
                    + String.join("\n", objects) + "\n```\nLet me know if you need more!";
            case 2 -> "```json\n[" + String.join(",\n", objects) + "]\n```";
            case 3 -> {
                StringBuilder text = new StringBuilder("Sure! {Generated personas follow.}\n");
                for (int i = 0; i < objects.size(); i++) {
                    text.append("Persona ").append(i + 1).append(":\n").append(objects.get(i)).append("\n\n");
                }
                yield text.toString();
            }
            default -> String.join("", objects);
        };
    }

    /** The text of an image-prompt-flow answer: four scenes not used before, for the person. */
    String imagePrompt(long seed, Map<String, Object> person, String history, boolean fenced) {
        Random random = new Random(seed);
        List<String> scenes = new ArrayList<>();
        for (String scene : SCENES) {
            if (history == null || !history.contains(scene)) {
                scenes.add(scene);
            }
        }
        if (scenes.size() < 4) {
            scenes = new ArrayList<>(List.of(SCENES));
        }
        Collections.shuffle(scenes, random);
        Object age = person.get("age");
        String who = (age == null ? "" : age + "-year-old ") + ("f".equals(person.get("gender")) ? "woman" : "man");
        String prompt = "Create a 2x2 grid of four candid smartphone photos of the same " + who + ", "
                + person.getOrDefault("firstname", "the person") + ", keeping the face from the reference photo: "
                + String.join("; ", scenes.subList(0, 4)) + ". Amateur look, natural light, thin white gutters.";
        String text = write(Map.of("final_prompt", prompt));
        return fenced ? "```json\n" + text + "\n```" : text;
    }

    private String persona(Random random, String description, String language, boolean biosAsObject, boolean incomplete) {
        boolean woman = random.nextBoolean();
        String first = pick(random, woman ? WOMEN : MEN);
        String last = pick(random, LAST);
        String[] place = PLACES[random.nextInt(PLACES.length)];
        String[] previous = PLACES[random.nextInt(PLACES.length)];
        String[] job = JOBS[random.nextInt(JOBS.length)];
        String hobby = pick(random, HOBBIES);
        int age = 22 + random.nextInt(35);
        Map<String, Object> bios = new LinkedHashMap<>();
        bios.put("facebook_bio", "Hi, I'm " + first + "! " + job[0] + " in " + place[0] + ", originally from "
                + previous[0] + ". Big fan of " + hobby + " and good coffee. {" + language + "}");
        bios.put("instagram_bio", job[0] + " | " + place[0] + ", " + place[1] + "\n" + hobby + " ✨");
        bios.put("x_bio", job[0] + ". Opinions on " + hobby + " are my own. " + description.substring(0, Math.min(40, description.length())));
        bios.put("tiktok_bio", "a day in the life of a " + job[0].toLowerCase() + " 🎥 " + hobby);
        bios.put("age", age);
        bios.put("job_title", job[0]);
        bios.put("workplace", job[1]);
        bios.put("edu_establishment", place[1] + " " + pick(random, SCHOOLS));
        bios.put("edu_study", job[2]);
        bios.put("current_city", place[0]);
        bios.put("current_state", place[1]);
        bios.put("prev_city", previous[0]);
        bios.put("prev_state", previous[1]);
        bios.put("about", first + " moved to " + place[0] + " for work and spends weekends on " + hobby + ".");
        ObjectNode persona = json.createObjectNode().put("firstname", first).put("lastname", last)
                .put("gender", woman ? "f" : "m");
        if (!incomplete) {
            persona.put("ethnicity", pick(random, ETHNICITIES));
        }
        if (biosAsObject) {
            persona.set("bios", json.valueToTree(bios));
        } else {
            persona.put("bios", write(bios));
        }
        return persona.toPrettyString();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
