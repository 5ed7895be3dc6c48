package io.glisk.avatar;

/**
 * Where a task's pictures live in the bucket: {@code avatars/task_{task}/persona_{persona}/base.png},
 * {@code image_{n}.png} (n = grid × 4 + tile) and their thumbnails {@code thumb_base.png}, {@code thumb_{n}.png}.
 */
public final class AvatarKeys {

    private AvatarKeys() {
    }

    /** Everything of one task, for deleting it: ends with a slash, so task_1 never matches task_10. */
    public static String task(long taskKey) {
        return "avatars/task_" + taskKey + "/";
    }

    public static String persona(long taskKey, long personaKey) {
        return task(taskKey) + "persona_" + personaKey + "/";
    }

    public static String base(long taskKey, long personaKey) {
        return persona(taskKey, personaKey) + "base.png";
    }

    public static String baseThumbnail(long taskKey, long personaKey) {
        return persona(taskKey, personaKey) + "thumb_base.png";
    }

    public static String image(long taskKey, long personaKey, int n) {
        return persona(taskKey, personaKey) + "image_" + n + ".png";
    }

    public static String imageThumbnail(long taskKey, long personaKey, int n) {
        return persona(taskKey, personaKey) + "thumb_" + n + ".png";
    }
}
