package dev.sluice.connectors.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class AvroIcebergTypesTest {

    static final Schema ALL_TYPES =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"All\",\"fields\":["
                                    + "{\"name\":\"id\",\"type\":\"long\"},"
                                    + "{\"name\":\"flag\",\"type\":\"boolean\"},"
                                    + "{\"name\":\"i\",\"type\":\"int\"},"
                                    + "{\"name\":\"f\",\"type\":\"float\"},"
                                    + "{\"name\":\"d\",\"type\":\"double\"},"
                                    + "{\"name\":\"s\",\"type\":[\"null\",\"string\"]},"
                                    + "{\"name\":\"u\",\"type\":{\"type\":\"string\",\"logicalType\":\"uuid\"}},"
                                    + "{\"name\":\"b\",\"type\":\"bytes\"},"
                                    + "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"F4\",\"size\":4}},"
                                    + "{\"name\":\"price\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}},"
                                    + "{\"name\":\"fprice\",\"type\":{\"type\":\"fixed\",\"name\":\"F8\",\"size\":8,\"logicalType\":\"decimal\",\"precision\":18,\"scale\":3}},"
                                    + "{\"name\":\"day\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
                                    + "{\"name\":\"tm\",\"type\":{\"type\":\"int\",\"logicalType\":\"time-millis\"}},"
                                    + "{\"name\":\"tu\",\"type\":{\"type\":\"long\",\"logicalType\":\"time-micros\"}},"
                                    + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                                    + "{\"name\":\"tsu\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
                                    + "{\"name\":\"lts\",\"type\":{\"type\":\"long\",\"logicalType\":\"local-timestamp-millis\"}},"
                                    + "{\"name\":\"ltsu\",\"type\":{\"type\":\"long\",\"logicalType\":\"local-timestamp-micros\"}},"
                                    + "{\"name\":\"color\",\"type\":{\"type\":\"enum\",\"name\":\"Color\",\"symbols\":[\"RED\",\"GREEN\"]}},"
                                    + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
                                    + "{\"name\":\"scores\",\"type\":{\"type\":\"map\",\"values\":[\"null\",\"int\"]}},"
                                    + "{\"name\":\"address\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Address\",\"fields\":["
                                    + "{\"name\":\"city\",\"type\":\"string\"},"
                                    + "{\"name\":\"zip\",\"type\":[\"null\",\"string\"]}]}]}"
                                    + "]}");

    @Test
    void everyAvroTypeMapsToItsIcebergType() {
        org.apache.iceberg.Schema schema =
                AvroIcebergTypes.toSchema(ALL_TYPES.getFields(), List.of("id"));

        assertThat(schema.asStruct().toString())
                .isEqualTo(
                        "struct<1: id: required long, 2: flag: optional boolean, 3: i: optional"
                                + " int, 4: f: optional float, 5: d: optional double, 6: s:"
                                + " optional string, 7: u: optional string, 8: b: optional binary,"
                                + " 9: fx: optional fixed[4], 10: price: optional decimal(10, 2),"
                                + " 11: fprice: optional decimal(18, 3), 12: day: optional date,"
                                + " 13: tm: optional time, 14: tu: optional time, 15: ts: optional"
                                + " timestamptz, 16: tsu: optional timestamptz, 17: lts: optional"
                                + " timestamp, 18: ltsu: optional timestamp, 19: color: optional"
                                + " string, 20: tags: optional list<string>, 21: scores: optional"
                                + " map<string, int>, 22: address: optional struct<26: city:"
                                + " required string, 27: zip: optional string>>");
        assertThat(schema.identifierFieldNames()).containsExactly("id");
        Types.ListType tags = schema.findField("tags").type().asListType();
        assertThat(tags.isElementRequired()).isTrue();
        Types.MapType scores = schema.findField("scores").type().asMapType();
        assertThat(scores.isValueOptional()).isTrue();
    }

    @Test
    void unionsOfSeveralTypesAreRefusedWithTheFieldPath() {
        Schema schema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                        + "{\"name\":\"outer\",\"type\":{\"type\":\"record\",\"name\":\"O\",\"fields\":["
                                        + "{\"name\":\"either\",\"type\":[\"int\",\"string\"]}]}}]}");

        assertThatThrownBy(() -> AvroIcebergTypes.toSchema(schema.getFields(), List.of()))
                .isInstanceOf(UnsupportedFieldException.class)
                .hasMessage(
                        "field 'outer.either': a union of several types ([int, string]) has no"
                                + " column type; only [null, X] unions are supported")
                .extracting(e -> ((UnsupportedFieldException) e).path())
                .isEqualTo("outer.either");
    }

    @Test
    void decimalsBeyondIcebergsPrecisionAreRefused() {
        Schema schema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                        + "{\"name\":\"big\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":40,\"scale\":0}}]}");

        assertThatThrownBy(() -> AvroIcebergTypes.toSchema(schema.getFields(), List.of()))
                .hasMessage("field 'big': decimal(40, 0) exceeds Iceberg's largest precision, 38");
    }
}
