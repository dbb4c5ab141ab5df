package dev.sluice.controller.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parsed command line: positional words in order and the flags, by their long name.
 *
 * <p>It exists so that every command reads its arguments the same way and rejects what it does not
 * consume, as kubectl does: flags may appear anywhere, in the forms {@code --name value}, {@code
 * --name=value}, {@code -f value} and {@code -ojson}; a flag a command does not take is an error
 * naming the flags it does take, never silently ignored.
 */
final class CliArguments {

    /** A flag the CLI knows: its long name, optional one-letter alias, and value placeholder. */
    enum Flag {
        SERVER("server", null, "URL"),
        FILENAME("filename", "f", "FILE"),
        OUTPUT("output", "o", "FORMAT"),
        PROCESSOR("processor", null, "ID"),
        FORMAT("format", null, "FORMAT"),
        SOURCE("source", null, "TOPIC"),
        FIELD("field", null, "FIELD"),
        HELP("help", "h", null);

        private final String longName;
        private final String shortName;
        private final String placeholder;

        Flag(String longName, String shortName, String placeholder) {
            this.longName = longName;
            this.shortName = shortName;
            this.placeholder = placeholder;
        }

        boolean takesValue() {
            return placeholder != null;
        }

        /**
         * How the help and error messages spell it, e.g. {@code -f FILE} or {@code --server URL}.
         */
        String display() {
            String name = shortName != null ? "-" + shortName : "--" + longName;
            return placeholder == null ? name : name + " " + placeholder;
        }

        static Optional<Flag> byLongName(String name) {
            for (Flag flag : values()) {
                if (flag.longName.equals(name)) {
                    return Optional.of(flag);
                }
            }
            return Optional.empty();
        }

        static Optional<Flag> byShortName(char name) {
            for (Flag flag : values()) {
                if (flag.shortName != null && flag.shortName.charAt(0) == name) {
                    return Optional.of(flag);
                }
            }
            return Optional.empty();
        }
    }

    private final List<String> positionals;
    private final Map<Flag, String> flags;
    private final Map<Flag, String> spelledAs;

    private CliArguments(
            List<String> positionals, Map<Flag, String> flags, Map<Flag, String> spelledAs) {
        this.positionals = Collections.unmodifiableList(positionals);
        this.flags = Collections.unmodifiableMap(flags);
        this.spelledAs = Collections.unmodifiableMap(spelledAs);
    }

    /** Splits {@code args} into positionals and flags; unknown flags and missing values fail. */
    static CliArguments parse(String[] args) throws CliException {
        List<String> positionals = new ArrayList<>();
        Map<Flag, String> flags = new LinkedHashMap<>();
        Map<Flag, String> spelledAs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            Flag flag;
            String inlineValue = null;
            if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inlineValue = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                String longName = name;
                flag =
                        Flag.byLongName(longName)
                                .orElseThrow(
                                        () -> CliException.usage("unknown flag --" + longName));
            } else if (arg.startsWith("-") && arg.length() > 1) {
                flag =
                        Flag.byShortName(arg.charAt(1))
                                .orElseThrow(() -> CliException.usage("unknown flag " + arg));
                if (arg.length() > 2) {
                    inlineValue = arg.startsWith("=", 2) ? arg.substring(3) : arg.substring(2);
                }
            } else {
                positionals.add(arg);
                continue;
            }
            String spelled = spelledName(arg);
            if (!flag.takesValue()) {
                if (inlineValue != null) {
                    throw CliException.usage("flag " + spelled + " takes no value");
                }
                flags.put(flag, "true");
            } else if (inlineValue != null) {
                flags.put(flag, inlineValue);
            } else if (i + 1 < args.length) {
                flags.put(flag, args[++i]);
            } else {
                throw CliException.usage(
                        "flag " + spelled + " needs a value (" + flag.display() + ")");
            }
            spelledAs.put(flag, spelled);
        }
        return new CliArguments(positionals, flags, spelledAs);
    }

    private static String spelledName(String arg) {
        if (arg.startsWith("--")) {
            int eq = arg.indexOf('=');
            return eq >= 0 ? arg.substring(0, eq) : arg;
        }
        return arg.substring(0, 2);
    }

    /** The positional words, the command first. */
    List<String> positionals() {
        return positionals;
    }

    /** The positional word at {@code index}, if there is one. */
    Optional<String> positional(int index) {
        return index < positionals.size() ? Optional.of(positionals.get(index)) : Optional.empty();
    }

    boolean has(Flag flag) {
        return flags.containsKey(flag);
    }

    Optional<String> value(Flag flag) {
        return Optional.ofNullable(flags.get(flag));
    }

    /**
     * Fails when a flag other than {@code allowed} (and the always-allowed {@code --server} and
     * {@code --help}) was given to {@code command}.
     */
    void requireOnly(String command, Flag... allowed) throws CliException {
        Set<Flag> accepted = new LinkedHashSet<>(List.of(allowed));
        accepted.add(Flag.SERVER);
        for (Flag given : flags.keySet()) {
            if (given != Flag.HELP && !accepted.contains(given)) {
                throw CliException.usage(
                        "flag "
                                + spelledAs.get(given)
                                + " is not accepted by '"
                                + command
                                + "'; it accepts: "
                                + accepted.stream()
                                        .map(Flag::display)
                                        .collect(Collectors.joining(", ")));
            }
        }
    }

    /**
     * Fails when more than {@code max} positional words were given; {@code shape} is the command's
     * synopsis for the message, e.g. {@code "describe pipeline NAME"}.
     */
    void requireAtMostPositionals(int max, String shape) throws CliException {
        if (positionals.size() > max) {
            throw CliException.usage(
                    "unexpected argument \""
                            + positionals.get(max)
                            + "\"; usage: ./sluice "
                            + shape);
        }
    }
}
