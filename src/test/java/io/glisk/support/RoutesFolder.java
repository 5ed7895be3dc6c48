package io.glisk.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An empty GLISK_ROUTES_DIR of a test's own, for the tests that drop route files into it as an operator would. */
public final class RoutesFolder {

    private RoutesFolder() {
    }

    public static Path create() {
        try {
            return Files.createTempDirectory("glisk-routes-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
