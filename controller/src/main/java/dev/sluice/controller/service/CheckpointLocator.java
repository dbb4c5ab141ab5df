package dev.sluice.controller.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the newest complete checkpoint a pipeline left behind (a {@code chk-N} directory with its
 * {@code _metadata}), so a pipeline resumes where it stopped after a clean stop or a kill -9.
 */
final class CheckpointLocator {

    /**
     * The newest of the retained checkpoints under {@code checkpointRoot} and {@code savepoint}.
     */
    static Optional<String> newest(Path checkpointRoot, String savepoint) {
        Optional<Path> best = Optional.empty();
        FileTime bestTime = null;
        if (Files.isDirectory(checkpointRoot)) {
            try (Stream<Path> jobs = Files.list(checkpointRoot)) {
                for (Path job : (Iterable<Path>) jobs::iterator) {
                    if (!Files.isDirectory(job)) {
                        continue;
                    }
                    try (Stream<Path> chks = Files.list(job)) {
                        Optional<Path> newest =
                                chks.filter(p -> p.getFileName().toString().startsWith("chk-"))
                                        .filter(p -> Files.exists(p.resolve("_metadata")))
                                        .max(Comparator.comparing(CheckpointLocator::mtime));
                        if (newest.isPresent()) {
                            FileTime t = mtime(newest.get());
                            if (bestTime == null || t.compareTo(bestTime) > 0) {
                                best = newest;
                                bestTime = t;
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (savepoint != null) {
            Path sp = Path.of(savepoint.replaceFirst("^file:", ""));
            if (Files.exists(sp.resolve("_metadata"))
                    && (bestTime == null || mtime(sp).compareTo(bestTime) > 0)) {
                return Optional.of(sp.toString());
            }
        }
        return best.map(Path::toString);
    }

    private static FileTime mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p.resolve("_metadata"));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private CheckpointLocator() {}
}
