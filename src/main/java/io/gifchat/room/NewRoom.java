package io.gifchat.room;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The create-room form and JSON body, with its rules; a blank password makes a public room. */
public record NewRoom(String title, Integer max, String password) {

    static final int TITLE_MAX = 60;
    static final int MAX_MIN = 2;
    static final int MAX_MAX = 100;
    static final int DEFAULT_MAX = 10;
    /** BCrypt ignores everything after 72 bytes: a longer password would silently be a shorter one. */
    static final int PASSWORD_MAX_BYTES = 72;

    /** The empty form. */
    public static NewRoom blank() {
        return new NewRoom("", DEFAULT_MAX, "");
    }

    /** The message for a capacity that is not a number at all. */
    public static String notANumber() {
        return "Enter a number between " + MAX_MIN + " and " + MAX_MAX + ".";
    }

    String cleanTitle() {
        return title == null ? "" : title.strip();
    }

    int cleanMax() {
        return max == null ? DEFAULT_MAX : max;
    }

    String cleanPassword() {
        return password == null || password.isEmpty() ? null : password;
    }

    /** Field name → message; empty when valid. */
    public Map<String, String> errors() {
        Map<String, String> errors = new LinkedHashMap<>();
        int titleLength = cleanTitle().codePointCount(0, cleanTitle().length());
        if (titleLength == 0) {
            errors.put("title", "Give the room a title.");
        } else if (titleLength > TITLE_MAX) {
            errors.put("title", "At most " + TITLE_MAX + " characters.");
        }
        if (cleanMax() < MAX_MIN || cleanMax() > MAX_MAX) {
            errors.put("max", "Between " + MAX_MIN + " and " + MAX_MAX + " people.");
        }
        if (cleanPassword() != null && cleanPassword().getBytes(StandardCharsets.UTF_8).length > PASSWORD_MAX_BYTES) {
            errors.put("password", "At most " + PASSWORD_MAX_BYTES + " bytes.");
        }
        return errors;
    }
}
