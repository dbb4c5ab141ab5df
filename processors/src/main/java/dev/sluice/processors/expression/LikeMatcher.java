package dev.sluice.processors.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A compiled SQL {@code LIKE} pattern: {@code %} matches any sequence of characters, {@code _}
 * exactly one, everything else itself (case-sensitive); an optional escape character makes the next
 * {@code %}, {@code _} or escape character literal. The whole string must match.
 *
 * <p>Compiled once per pattern. The common shapes ({@code 'abc'}, {@code 'abc%'}, {@code '%abc'},
 * {@code '%abc%'}) are matched with {@link String} methods; only the rest use a regular expression.
 */
final class LikeMatcher {

    private final Predicate<String> predicate;

    private LikeMatcher(Predicate<String> predicate) {
        this.predicate = predicate;
    }

    boolean matches(String value) {
        return predicate.test(value);
    }

    /**
     * Compiles {@code pattern}.
     *
     * @param escape the escape character, or {@code null} for none
     * @throws IllegalArgumentException if the pattern misuses the escape character
     */
    static LikeMatcher compile(String pattern, Character escape) {
        // Tokens: literal runs (String), and the wildcards PERCENT / UNDERSCORE.
        List<Object> tokens = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean anyUnderscore = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != null && c == escape) {
                if (i + 1 >= pattern.length()) {
                    throw new IllegalArgumentException(
                            "invalid LIKE pattern "
                                    + SqlFunctions.quote(pattern)
                                    + ": it ends with the escape character");
                }
                char next = pattern.charAt(++i);
                if (next != '%' && next != '_' && next != escape) {
                    throw new IllegalArgumentException(
                            "invalid LIKE pattern "
                                    + SqlFunctions.quote(pattern)
                                    + ": the escape character must be followed by '%', '_' or"
                                    + " itself");
                }
                literal.append(next);
            } else if (c == '%' || c == '_') {
                if (literal.length() > 0) {
                    tokens.add(literal.toString());
                    literal.setLength(0);
                }
                if (c == '%') {
                    if (tokens.isEmpty() || tokens.get(tokens.size() - 1) != Wildcard.PERCENT) {
                        tokens.add(Wildcard.PERCENT);
                    }
                } else {
                    tokens.add(Wildcard.UNDERSCORE);
                    anyUnderscore = true;
                }
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            tokens.add(literal.toString());
        }
        return new LikeMatcher(predicate(tokens, anyUnderscore));
    }

    private enum Wildcard {
        PERCENT,
        UNDERSCORE
    }

    private static Predicate<String> predicate(List<Object> tokens, boolean anyUnderscore) {
        if (!anyUnderscore) {
            int n = tokens.size();
            if (n == 0) {
                return String::isEmpty;
            }
            if (n == 1 && tokens.get(0) == Wildcard.PERCENT) {
                return s -> true;
            }
            if (n == 1) {
                String text = (String) tokens.get(0);
                return text::equals;
            }
            if (n == 2 && tokens.get(1) == Wildcard.PERCENT) {
                String prefix = (String) tokens.get(0);
                return s -> s.startsWith(prefix);
            }
            if (n == 2 && tokens.get(0) == Wildcard.PERCENT) {
                String suffix = (String) tokens.get(1);
                return s -> s.endsWith(suffix);
            }
            if (n == 3 && tokens.get(0) == Wildcard.PERCENT && tokens.get(2) == Wildcard.PERCENT) {
                String infix = (String) tokens.get(1);
                return s -> s.contains(infix);
            }
        }
        StringBuilder regex = new StringBuilder();
        for (Object token : tokens) {
            if (token == Wildcard.PERCENT) {
                regex.append(".*");
            } else if (token == Wildcard.UNDERSCORE) {
                regex.append('.');
            } else {
                regex.append(Pattern.quote((String) token));
            }
        }
        Pattern compiled = Pattern.compile(regex.toString(), Pattern.DOTALL);
        return s -> compiled.matcher(s).matches();
    }
}
