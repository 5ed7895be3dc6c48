package io.glisk.ops;

import io.glisk.settings.InvalidSettingsException;
import io.glisk.settings.RunMode;
import io.glisk.settings.Secret;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.springframework.core.env.Environment;

/**
 * Who may use Hawtio, Jolokia, the admin API and the actuator endpoints other than health: the admin
 * ({@code GLISK_ADMIN_USER} / {@code GLISK_ADMIN_PASSWORD}) and, optionally, a read-only viewer
 * ({@code GLISK_VIEWER_USER} / {@code GLISK_VIEWER_PASSWORD}).
 * <p>
 * Outside local mode the admin pair is required ({@link io.glisk.settings.RequiredSettings} stops start-up
 * without it). In local mode a missing admin user is {@code admin} and a missing password is generated at
 * random; the local-mode banner prints them once. Passwords are {@link Secret}s: they never show in a log
 * line or an exception.
 */
public final class AdminCredentials {

    public static final String ADMIN_USER = "GLISK_ADMIN_USER";
    public static final String ADMIN_PASSWORD = "GLISK_ADMIN_PASSWORD";
    public static final String VIEWER_USER = "GLISK_VIEWER_USER";
    public static final String VIEWER_PASSWORD = "GLISK_VIEWER_PASSWORD";
    static final String LOCAL_DEFAULT_USER = "admin";

    /** A user name and its password. */
    public record Account(String user, Secret password) {
    }

    private final Account admin;
    private final Account viewer;
    private final boolean passwordGenerated;

    private AdminCredentials(Account admin, Account viewer, boolean passwordGenerated) {
        this.admin = admin;
        this.viewer = viewer;
        this.passwordGenerated = passwordGenerated;
    }

    public static AdminCredentials from(Environment environment) {
        boolean local = RunMode.isLocal(environment);
        String adminUser = value(environment, ADMIN_USER);
        String adminPassword = value(environment, ADMIN_PASSWORD);
        boolean generated = false;
        if (adminUser == null || adminPassword == null) {
            if (!local) {
                // RequiredSettings reports this before the context starts; this is the backstop
                throw new InvalidSettingsException("Missing required settings: " + ADMIN_USER + " and " + ADMIN_PASSWORD
                        + " (credentials for Hawtio, Jolokia, the admin API and the actuator)");
            }
            adminUser = adminUser == null ? LOCAL_DEFAULT_USER : adminUser;
            if (adminPassword == null) {
                adminPassword = randomPassword();
                generated = true;
            }
        }
        String viewerUser = value(environment, VIEWER_USER);
        String viewerPassword = value(environment, VIEWER_PASSWORD);
        if ((viewerUser == null) != (viewerPassword == null)) {
            throw new InvalidSettingsException(VIEWER_USER + " and " + VIEWER_PASSWORD
                    + " go together: set both for a read-only account, or neither");
        }
        if (viewerUser != null && viewerUser.equals(adminUser)) {
            throw new InvalidSettingsException(VIEWER_USER + " must differ from " + ADMIN_USER);
        }
        return new AdminCredentials(new Account(adminUser, new Secret(adminPassword)),
                viewerUser == null ? null : new Account(viewerUser, new Secret(viewerPassword)), generated);
    }

    private static String value(Environment environment, String name) {
        String value = environment.getProperty(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Account admin() {
        return admin;
    }

    public Optional<Account> viewer() {
        return Optional.ofNullable(viewer);
    }

    /** True when local mode made the admin password up (it is then printed once, in the local-mode banner). */
    public boolean passwordGenerated() {
        return passwordGenerated;
    }

    @Override
    public String toString() {
        return "AdminCredentials[admin=" + admin.user() + ", viewer=" + (viewer == null ? "<none>" : viewer.user()) + "]";
    }
}
