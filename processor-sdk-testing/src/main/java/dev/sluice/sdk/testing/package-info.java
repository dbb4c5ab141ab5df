/**
 * Test harnesses for processor authors, built on Flink's own operator test harnesses and local
 * execution: no Kafka, no cluster.
 *
 * <ul>
 *   <li>{@link dev.sluice.sdk.testing.ProcessorTestHarness} plans a {@link
 *       dev.sluice.sdk.factory.ProcessorFactory} exactly as the platform does and runs its
 *       operators over in-memory records.
 *   <li>{@link dev.sluice.sdk.testing.FunctionHarness} drives one record function record by record,
 *       with snapshot and restore of its state.
 * </ul>
 */
package dev.sluice.sdk.testing;
