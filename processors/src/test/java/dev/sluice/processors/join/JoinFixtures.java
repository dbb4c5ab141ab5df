package dev.sluice.processors.join;

import dev.sluice.processors.testing.TestProcessorContext;
import dev.sluice.sdk.StreamDescriptor;
import dev.sluice.sdk.StreamKind;
import dev.sluice.sdk.factory.ProcessorFactory.PlannedProcessor;
import java.util.Map;
import org.apache.avro.Schema;

/** The "movies enriched with their director from talent" case the join tests share. */
final class JoinFixtures {

    static final String PIPELINE = "studio";
    static final String NODE = "enriched";
    static final String POINTER = "/processors/1";

    static final Schema MOVIES =
            record(
                    "Movie",
                    "{\"name\":\"id\",\"type\":\"long\"},"
                            + "{\"name\":\"title\",\"type\":\"string\",\"doc\":\"the title\"},"
                            + "{\"name\":\"director_id\",\"type\":[\"null\",\"long\"],\"default\":null},"
                            + "{\"name\":\"__op\",\"type\":[\"null\",\"string\"],\"default\":null}");

    static final Schema TALENT =
            record(
                    "Talent",
                    "{\"name\":\"id\",\"type\":\"long\"},"
                            + "{\"name\":\"name\",\"type\":\"string\"},"
                            + "{\"name\":\"born\",\"type\":[\"null\",\"int\"],\"default\":null},"
                            + "{\"name\":\"__op\",\"type\":[\"null\",\"string\"],\"default\":null}");

    private JoinFixtures() {}

    static Schema record(String name, String fieldsJson) {
        return new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\""
                                + name
                                + "\",\"namespace\":\"test\",\"fields\":["
                                + fieldsJson
                                + "]}");
    }

    static StreamDescriptor changelog(String id, Schema schema) {
        return new StreamDescriptor(id, schema, StreamKind.CHANGELOG);
    }

    /** The plan of {@code join} over {@code inputs} with {@code config}. */
    static PlannedProcessor plan(Map<String, Object> config, StreamDescriptor... inputs) {
        JoinProcessorFactory factory = new JoinProcessorFactory();
        return factory.plan(
                TestProcessorContext.of(factory, PIPELINE, NODE, POINTER, config, inputs));
    }

    /** The plan of movies ⋈ talent on director_id = id, inner or left. */
    static PlannedProcessor moviesWithTalent(boolean leftJoin) {
        return plan(
                Map.of(
                        "kind",
                        leftJoin ? "left" : "inner",
                        "on",
                        Map.of("movies", "director_id", "talent", "id")),
                changelog("movies", MOVIES),
                changelog("talent", TALENT));
    }
}
