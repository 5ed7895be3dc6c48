package io.glisk.avatar;

import java.util.List;

/**
 * What one persona-flow answer gave: the personas that are complete, and why each other object was left out.
 *
 * @param skipped one line per object left out, e.g. {@code object 3 (Ana Diaz): no instagram_bio}
 */
public record PersonaBatch(List<Persona> personas, List<String> skipped) {

    public PersonaBatch {
        personas = List.copyOf(personas);
        skipped = List.copyOf(skipped);
    }
}
