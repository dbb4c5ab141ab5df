package dev.sluice.schemas.registry;

import static dev.sluice.schemas.registry.TestSchemas.ORDER;
import static dev.sluice.schemas.registry.TestSchemas.V1;
import static dev.sluice.schemas.registry.TestSchemas.V2_ADD_WITHOUT_DEFAULT;
import static dev.sluice.schemas.registry.TestSchemas.V2_ADD_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaStoreTest {

    @TempDir Path dir;

    @Test
    void equalSchemaSharesTheGlobalIdAcrossSubjects() {
        try (SchemaStore store = SchemaStore.inMemory()) {
            RegisteredSchema a = store.register("a-value", V1);
            RegisteredSchema order = store.register("orders-value", ORDER);
            RegisteredSchema b = store.register("b-value", TestSchemas.V1);
            assertThat(a).isEqualTo(new RegisteredSchema("a-value", 1, 1, V1));
            assertThat(order.id()).isEqualTo(2);
            assertThat(b).isEqualTo(new RegisteredSchema("b-value", 1, 1, V1));
            assertThat(store.usagesOf(1))
                    .extracting(RegisteredSchema::subject)
                    .containsExactly("a-value", "b-value");
        }
    }

    @Test
    void registeredSchemaIsACopyImmuneToCallerMutation() {
        try (SchemaStore store = SchemaStore.inMemory()) {
            org.apache.avro.Schema mine = dev.sluice.schemas.AvroSchemas.parse(TestSchemas.V1_TEXT);
            store.register("s", mine);
            mine.addProp("changed", "later");
            assertThat(store.schemaById(1)).isEqualTo(V1);
            assertThat(store.register("s", V1).version()).isEqualTo(1);
        }
    }

    @Test
    void stateSurvivesReopening() {
        try (SchemaStore store = SchemaStore.open(dir)) {
            store.register("users-value", V1);
            store.register("users-value", V2_ADD_WITH_DEFAULT);
            store.register("orders-value", ORDER);
            store.setGlobalCompatibility(CompatibilityLevel.FULL);
            store.setSubjectCompatibility("orders-value", CompatibilityLevel.NONE);
            store.deleteSubject("orders-value", false);
        }
        assertThat(dir.resolve(SchemaStore.STATE_FILE)).exists();
        assertThat(dir.resolve(SchemaStore.STATE_FILE + ".tmp")).doesNotExist();

        try (SchemaStore store = SchemaStore.open(dir)) {
            assertThat(store.subjects(false)).containsExactly("users-value");
            assertThat(store.subjects(true)).containsExactly("orders-value", "users-value");
            assertThat(store.versions("users-value")).containsExactly(1, 2);
            assertThat(store.latest("users-value"))
                    .isEqualTo(new RegisteredSchema("users-value", 2, 2, V2_ADD_WITH_DEFAULT));
            assertThat(store.schemaById(3)).isEqualTo(ORDER);
            assertThat(store.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
            assertThat(store.subjectCompatibility("orders-value"))
                    .contains(CompatibilityLevel.NONE);
            // ids keep counting after the restart
            assertThat(store.register("other", TestSchemas.V2_REMOVE_NAME).id()).isEqualTo(4);
        }
    }

    @Test
    void secondStoreOnTheSameDirectoryIsRefused() {
        try (SchemaStore store = SchemaStore.open(dir)) {
            assertThatThrownBy(() -> SchemaStore.open(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                            "schema registry storage directory "
                                    + dir
                                    + " is in use by another registry (its lock file"
                                    + " schema-registry.lock is held)");
        }
        SchemaStore.open(dir).close();
    }

    @Test
    void corruptStateFileIsReportedWithItsPath() throws Exception {
        Files.writeString(dir.resolve(SchemaStore.STATE_FILE), "{not json", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> SchemaStore.open(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "schema registry state file "
                                + dir.resolve(SchemaStore.STATE_FILE)
                                + " is not readable JSON");
        // the failed open released the lock
        Files.delete(dir.resolve(SchemaStore.STATE_FILE));
        SchemaStore.open(dir).close();
    }

    @Test
    void incompatibleRegistrationLeavesNoTrace() {
        try (SchemaStore store = SchemaStore.open(dir)) {
            store.register("s", V1);
            assertThatThrownBy(() -> store.register("s", V2_ADD_WITHOUT_DEFAULT))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.status()).isEqualTo(409);
                                assertThat(e.errorCode()).isEqualTo(409);
                            });
            assertThat(store.versions("s")).containsExactly(1);
            assertThat(store.register("t", ORDER).id()).isEqualTo(2);
        }
    }

    @Test
    void softAndPermanentDeletesFollowConfluentRules() {
        try (SchemaStore store = SchemaStore.inMemory()) {
            store.register("s", V1);
            store.register("s", V2_ADD_WITH_DEFAULT);

            assertThat(store.deleteVersion("s", 2, false)).isEqualTo(2);
            assertThat(store.versions("s")).containsExactly(1);
            assertThatThrownBy(() -> store.deleteVersion("s", 1, true))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.errorCode())
                                            .isEqualTo(
                                                    SchemaRegistryException
                                                            .VERSION_NOT_SOFT_DELETED));
            assertThatThrownBy(() -> store.deleteSubject("s", true))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.errorCode())
                                            .isEqualTo(
                                                    SchemaRegistryException
                                                            .SUBJECT_NOT_SOFT_DELETED));

            assertThat(store.deleteSubject("s", false)).containsExactly(1);
            assertThat(store.subjects(false)).isEmpty();
            assertThat(store.findLatest("s")).isEqualTo(Optional.empty());
            // ids stay resolvable for records already written
            assertThat(store.schemaById(1)).isEqualTo(V1);

            // re-registering after a soft delete continues the version numbers
            assertThat(store.register("s", V1)).isEqualTo(new RegisteredSchema("s", 1, 3, V1));
            store.deleteSubject("s", false);
            assertThat(store.deleteSubject("s", true)).isEqualTo(List.of(1, 2, 3));
            assertThat(store.subjects(true)).isEmpty();
            assertThat(store.register("s", V1).version()).isEqualTo(1);
        }
    }
}
