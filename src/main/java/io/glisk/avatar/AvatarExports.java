package io.glisk.avatar;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glisk.provider.TransientFailure;
import io.glisk.settings.ConditionalOnStage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.stereotype.Component;

/**
 * A completed task's data set, written as it is read: JSON (the task and every persona with its bios, facts and
 * picture URLs), CSV (a persona a row, one column per photo) and ZIP ({@code profiles/<First>_<Last>/details.json}
 * and {@code profiles/<First>_<Last>/images/1.png…}, the photos streamed from the bucket — never made again).
 */
@Component
@ConditionalOnStage("avatar")
public class AvatarExports {

    static final List<String> CSV_PERSONA_COLUMNS = List.of("persona_id", "firstname", "lastname", "gender", "ethnicity",
            "age", "job_title", "workplace", "edu_establishment", "edu_study", "current_city", "current_state",
            "prev_city", "prev_state", "about", "facebook_bio", "instagram_bio", "x_bio", "tiktok_bio", "base_image_url");

    private final AvatarTaskViews views;
    private final AvatarStorage storage;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    public AvatarExports(AvatarTaskViews views, AvatarStorage storage) {
        this.views = views;
        this.storage = storage;
    }

    public void json(Map<String, Object> task, OutputStream out) throws IOException {
        json.writeValue(out, views.export(task));
    }

    /** A header row, then a persona a row: its fields, bios, base image URL and image_1 … image_K (stored photos). */
    public void csv(Map<String, Object> task, OutputStream out) throws IOException {
        int perPersona = ((Number) task.get("images_per_persona")).intValue();
        Writer csv = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        List<String> header = new ArrayList<>(CSV_PERSONA_COLUMNS);
        for (int n = 1; n <= perPersona; n++) {
            header.add("image_" + n);
        }
        row(csv, header);
        for (Map<String, Object> persona : personas(task)) {
            @SuppressWarnings("unchecked") Map<String, Object> facts = (Map<String, Object>) persona.get("facts");
            @SuppressWarnings("unchecked") Map<String, Object> bios = (Map<String, Object>) persona.get("bios");
            List<String> cells = new ArrayList<>(List.of(text(persona.get("id")), text(persona.get("firstname")),
                    text(persona.get("lastname")), text(persona.get("gender")), text(persona.get("ethnicity")),
                    text(persona.get("age")), text(facts.get("jobTitle")), text(facts.get("workplace")),
                    text(facts.get("eduEstablishment")), text(facts.get("eduStudy")), text(facts.get("currentCity")),
                    text(facts.get("currentState")), text(facts.get("prevCity")), text(facts.get("prevState")),
                    text(facts.get("about")), text(bios.get("facebook")), text(bios.get("instagram")),
                    text(bios.get("x")), text(bios.get("tiktok")), text(persona.get("baseImageUrl"))));
            String[] photos = new String[perPersona];
            for (Map<String, Object> image : images(persona)) {
                int n = ((Number) image.get("n")).intValue();
                if (n < perPersona && "stored".equals(image.get("status"))) {
                    photos[n] = text(image.get("url"));
                }
            }
            for (String photo : photos) {
                cells.add(photo == null ? "" : photo);
            }
            row(csv, cells);
        }
        csv.flush();
    }

    /** Every persona's details.json, and its stored photos in order as images/1.png, 2.png, … */
    public void zip(Map<String, Object> task, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        Set<String> folders = new HashSet<>();
        for (Map<String, Object> persona : personas(task)) {
            String folder = folder(persona, folders);
            zip.putNextEntry(new ZipEntry(folder + "details.json"));
            json.writeValue(zip, persona);
            zip.closeEntry();
            int number = 0;
            for (Map<String, Object> image : images(persona)) {
                if (!"stored".equals(image.get("status"))) {
                    continue;
                }
                String key = (String) image.get("key");
                try (InputStream photo = storage.open(key).orElseThrow(() -> new TransientFailure(
                        "the stored photo " + key + " is missing from the bucket"))) {
                    zip.putNextEntry(new ZipEntry(folder + "images/" + (++number) + ".png"));
                    photo.transferTo(zip);
                    zip.closeEntry();
                }
            }
        }
        zip.finish();
        zip.flush();
    }

    private List<Map<String, Object>> personas(Map<String, Object> task) {
        @SuppressWarnings("unchecked") List<Map<String, Object>> personas =
                (List<Map<String, Object>>) views.export(task).get("personas");
        return personas;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> images(Map<String, Object> persona) {
        return (List<Map<String, Object>>) persona.get("images");
    }

    /** {@code profiles/<First>_<Last>/}: letters, digits and hyphens only, a number added when two share a name. */
    static String folder(Map<String, Object> persona, Set<String> taken) {
        String name = safe(text(persona.get("firstname"))) + "_" + safe(text(persona.get("lastname")));
        String folder = name;
        for (int n = 2; !taken.add(folder.toLowerCase()); n++) {
            folder = name + "_" + n;
        }
        return "profiles/" + folder + "/";
    }

    private static String safe(String part) {
        String ascii = Normalizer.normalize(part, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String clean = ascii.replaceAll("[^\\p{L}\\p{N}-]+", "-").replaceAll("^-+|-+$", "");
        clean = clean.length() > 60 ? clean.substring(0, 60) : clean;
        return clean.isEmpty() ? "unnamed" : clean;
    }

    private static void row(Writer csv, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.write(',');
            }
            csv.write(cell(cells.get(i)));
        }
        csv.write("\r\n");
    }

    /**
     * RFC 4180 quoting; a cell a spreadsheet would take for a formula (starting with =, +, -, @, tab or CR) gets a
     * leading apostrophe, so opening the file never runs what a persona flow wrote.
     */
    static String cell(String value) {
        String text = value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return text.matches("[^\",\r\n]*") ? text : "\"" + text.replace("\"", "\"\"") + "\"";
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
