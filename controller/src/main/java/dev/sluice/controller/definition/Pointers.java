package dev.sluice.controller.definition;

/** RFC 6901 helpers shared by the model and the parser, so every error points the same way. */
final class Pointers {
    private Pointers() {}

    /** The pointer of {@code key} inside the object at {@code parent}. */
    static String child(String parent, String key) {
        return parent + "/" + escape(key);
    }

    /** The pointer of element {@code index} inside the array at {@code parent}. */
    static String child(String parent, int index) {
        return parent + "/" + index;
    }

    /** Escapes one reference token: {@code ~} becomes {@code ~0}, {@code /} becomes {@code ~1}. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A Java value quoted for a message: strings in double quotes, others as they print. */
    static String quote(Object value) {
        if (value instanceof String) {
            String s = (String) value;
            return "\"" + (s.length() > 60 ? s.substring(0, 57) + "..." : s) + "\"";
        }
        return String.valueOf(value);
    }
}
