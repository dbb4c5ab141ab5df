package dev.sluice.controller.store;

/** A pipeline's state, as the contract names them. */
public enum PipelineState {
    PENDING,
    DEPLOYING,
    RUNNING,
    PAUSED,
    BLOCKED,
    FAILED,
    DELETING
}
