package dev.sluice.sdk;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Where operators put the records they cannot handle: one side output shared by the job. */
@PublicEvolving
public final class DeadLetters {

    /** The side output every Sluice operator emits its dead letters to. */
    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("sluice-dead-letters", TypeInformation.of(DeadLetter.class));

    /** The dead-letter topic of a pipeline, as the contract names it. */
    public static String topicOf(String pipelineName) {
        return "sluice.dlq." + pipelineName;
    }

    /** The topic dead letters are replayed through into a pipeline's sources. */
    public static String replayTopicOf(String pipelineName) {
        return "sluice.replay." + pipelineName;
    }

    /** Header of a replayed record: the topic of the record that first failed. */
    public static final String HEADER_TOPIC = "sluice.source.topic";

    /** Header of a replayed record: its partition. */
    public static final String HEADER_PARTITION = "sluice.source.partition";

    /** Header of a replayed record: its offset. */
    public static final String HEADER_OFFSET = "sluice.source.offset";

    /** Header of a replayed record: how many times it failed before (the dead letter's attempt). */
    public static final String HEADER_ATTEMPT = "sluice.attempt";

    private DeadLetters() {}
}
