package dev.sluice.processors.sql;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * Turns one input record into the row of its table ({@link InputTable}): each column converted from
 * its Avro field, the event-time column as a TIMESTAMP(3), the key bytes in the key column. Built
 * once per operator instance.
 */
final class RowReader {
    private final InputTable table;
    private final int[] positions;
    private final RowConverters.Converter[] converters;
    private final int rowtime;
    private final Schema rowtimeSchema;
    private final int opPosition;

    RowReader(InputTable table) {
        this.table = table;
        List<Schema.Field> fields = table.fields();
        this.positions = new int[fields.size()];
        this.converters = new RowConverters.Converter[fields.size()];
        this.rowtime = table.rowtimeIndex();
        for (int i = 0; i < positions.length; i++) {
            Schema.Field f = fields.get(i);
            positions[i] = f.pos();
            converters[i] =
                    i == rowtime
                            ? null
                            : RowConverters.reader(f.schema(), table.types().get(i), f.name());
        }
        this.rowtimeSchema = rowtime >= 0 ? fields.get(rowtime).schema() : null;
        Schema.Field op = table.schema().getField("__op");
        this.opPosition =
                op != null && RowConverters.nonNull(op.schema()).getType() == Schema.Type.STRING
                        ? op.pos()
                        : -1;
    }

    /** Whether the input's values say their change kind in a string {@code __op} field. */
    boolean hasOp() {
        return opPosition >= 0;
    }

    /** Whether {@code value} is a delete ({@code __op} = "d") carrying the last row image. */
    boolean isDelete(GenericRecord value) {
        if (opPosition < 0) {
            return false;
        }
        Object op = value.get(opPosition);
        return op != null && "d".contentEquals(op.toString());
    }

    /**
     * The row of {@code value}, of kind {@code kind}.
     *
     * @throws IllegalArgumentException if a field cannot be converted (its record is dead-lettered)
     */
    Row read(GenericRecord value, byte[] key, RowKind kind) {
        Row row = new Row(kind, table.arity());
        for (int i = 0; i < positions.length; i++) {
            Object v = value.get(positions[i]);
            if (i == rowtime) {
                if (v == null) {
                    throw new IllegalArgumentException(
                            "event-time field '"
                                    + table.fields().get(i).name()
                                    + "' is null; windows need a time on every record");
                }
                row.setField(
                        i,
                        RowConverters.fromMillis(RowConverters.eventTimeMillis(rowtimeSchema, v)));
            } else {
                row.setField(i, converters[i].convert(v));
            }
        }
        if (table.hasKeyColumn()) {
            row.setField(positions.length, key);
        }
        return row;
    }
}
