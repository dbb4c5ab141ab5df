/**
 * What the table sinks ({@code iceberg}, {@code jdbc}) share: reading Sluice's changelog convention
 * (upserts, deletes with a row image, tombstones deleting by key), decoding Confluent-framed keys,
 * and turning Avro values, with or without logical-type conversions, into plain Java values.
 */
package dev.sluice.connectors.sink;
