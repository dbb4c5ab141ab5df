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

    private DeadLetters() {}
}
