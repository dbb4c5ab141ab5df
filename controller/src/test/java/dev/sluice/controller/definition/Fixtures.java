package dev.sluice.controller.definition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads the pipeline JSON fixtures under {@code src/test/resources/pipelines}. */
public final class Fixtures {
    private Fixtures() {}

    /** The directory {@code pipelines/<name>} on the test classpath. */
    public static Path directory(String name) {
        URL url = Fixtures.class.getResource("/pipelines/" + name);
        if (url == null) {
            throw new IllegalStateException("no fixture directory pipelines/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the {@code *.json} pipeline fixtures in {@code pipelines/<name>}, sorted. */
    public static List<String> names(String name) {
        try (Stream<Path> files = Files.list(directory(name))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".json") && !f.equals("expectations.json"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of {@code pipelines/<name>/<file>}. */
    public static String read(String name, String file) {
        try {
            return Files.readString(directory(name).resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses {@code pipelines/good/<file>}. */
    public static PipelineDefinition good(String file) {
        return PipelineJson.parse(read("good", file));
    }
}
