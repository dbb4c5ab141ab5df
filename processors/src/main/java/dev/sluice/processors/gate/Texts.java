package dev.sluice.processors.gate;

import dev.sluice.schemas.AvroSchemas;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;

/**
 * How values and Avro types appear in the gate's messages: short, one line, strings quoted. A dead
 * letter's message must stay readable even when the offending value is a megabyte of text.
 */
final class Texts {

    /** Longest rendering of a value before it is cut. */
    static final int MAX_VALUE_CHARS = 100;

    private Texts() {}

    /** A value as messages show it: {@code null}, {@code -5.0}, {@code "text"}. */
    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof CharSequence || v instanceof GenericEnumSymbol) {
            return "\"" + cut(v.toString()) + "\"";
        }
        if (v instanceof ByteBuffer) {
            return "<" + ((ByteBuffer) v).remaining() + " bytes>";
        }
        if (v instanceof byte[]) {
            return "<" + ((byte[]) v).length + " bytes>";
        }
        return cut(String.valueOf(v));
    }

    /** A field's Avro type as messages show it: {@code string}, {@code nullable int}. */
    static String type(Schema schema) {
        Schema t = AvroSchemas.nonNull(schema);
        String name;
        switch (t.getType()) {
            case RECORD:
            case ENUM:
            case FIXED:
                name = t.getType().getName() + " " + t.getFullName();
                break;
            case UNION:
                name = cut(t.toString());
                break;
            default:
                name = t.getType().getName();
        }
        if (t.getLogicalType() != null) {
            name = t.getLogicalType().getName() + " (" + name + ")";
        }
        boolean nullable = schema.getType() == Schema.Type.UNION && AvroSchemas.isNullable(schema);
        return nullable ? "nullable " + name : name;
    }

    /** The names of a record's fields, comma separated. */
    static String fieldNames(Schema record) {
        List<Schema.Field> fields = record.getFields();
        StringBuilder sb = new StringBuilder();
        for (Schema.Field f : fields) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(f.name());
        }
        return sb.toString();
    }

    private static String cut(String s) {
        if (s.length() <= MAX_VALUE_CHARS) {
            return s;
        }
        int end = MAX_VALUE_CHARS;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "...(" + s.length() + " chars)";
    }
}
