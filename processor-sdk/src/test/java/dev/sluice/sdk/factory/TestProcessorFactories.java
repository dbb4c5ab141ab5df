package dev.sluice.sdk.factory;

import dev.sluice.sdk.config.ConfigOption;
import java.util.Set;

/**
 * Small processor factories for discovery tests. The ones registered in this module's test {@code
 * META-INF/services} are listed there out of alphabetical order on purpose.
 */
public final class TestProcessorFactories {

    private TestProcessorFactories() {}

    /** A factory that only has an identifier; planning is not part of discovery. */
    abstract static class Named implements ProcessorFactory {
        private final String identifier;

        Named(String identifier) {
            this.identifier = identifier;
        }

        @Override
        public String identifier() {
            return identifier;
        }

        @Override
        public Set<ConfigOption<?>> requiredOptions() {
            return Set.of();
        }

        @Override
        public Set<ConfigOption<?>> optionalOptions() {
            return Set.of();
        }

        @Override
        public PlannedProcessor plan(Context context) {
            throw new UnsupportedOperationException("test factory '" + identifier + "'");
        }
    }

    /** Identifier {@code zeta}. */
    public static final class Zeta extends Named {
        public Zeta() {
            super("zeta");
        }
    }

    /** Identifier {@code alpha}. */
    public static final class Alpha extends Named {
        public Alpha() {
            super("alpha");
        }
    }

    /** Identifier {@code mid}. */
    public static final class Mid extends Named {
        public Mid() {
            super("mid");
        }
    }

    /** Also identifier {@code alpha}: not registered, only used to provoke a clash. */
    public static final class AlphaTwin extends Named {
        public AlphaTwin() {
            super("alpha");
        }
    }

    /** A newer implementation of {@code alpha}. */
    public static final class AlphaV2 extends Named {
        public AlphaV2() {
            super("alpha");
        }

        @Override
        public String implementationVersion() {
            return "2.10";
        }
    }

    /** An implementation of {@code alpha} between the first and {@link AlphaV2}. */
    public static final class AlphaV2Dot9 extends Named {
        public AlphaV2Dot9() {
            super("alpha");
        }

        @Override
        public String implementationVersion() {
            return "2.9";
        }
    }
}
