package dev.sluice.sdk.factory;

import org.apache.avro.Schema;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Side effects a planned node asks for before its job runs: topics to create and schemas to
 * register. Called at deploy time only, never while a pipeline is merely validated.
 */
@PublicEvolving
public interface Provisioner {

    /** Creates the topic if it does not exist; an existing topic is left as it is. */
    void ensureTopic(TopicSpec topic);

    /**
     * Registers a schema under a subject and returns its id; an incompatible schema fails with the
     * registry's message.
     */
    int registerSchema(String subject, Schema schema);
}
