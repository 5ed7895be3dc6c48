package io.glisk.settings;

/**
 * A credential from the configuration. Its {@code toString} never shows the value, so a secret that ends up
 * in a log line, an exception message or a bound-properties dump stays hidden.
 */
public record Secret(String value) {

    public boolean isBlank() {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return isBlank() ? "<unset>" : "******";
    }
}
