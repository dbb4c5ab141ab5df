package dev.sluice.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the kill -9 tests need to run the platform as a child JVM (so it can be killed for real) and
 * to know how far it got: the command line, a free port, the newest complete checkpoint.
 */
public final class ChildPlatforms {
    private ChildPlatforms() {}

    /**
     * {@code java ... dev.sluice.controller.SluiceMain args} with this JVM's classpath and opens.
     */
    public static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        for (String opt : System.getProperty("sluice.jvm.opens", "").split(" ")) {
            if (!opt.isBlank()) {
                cmd.add(opt);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.sluice.controller.SluiceMain");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The number of the newest {@code chk-N} with its {@code _metadata} under {@code root}. */
    public static long newestCheckpoint(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return -1;
        }
        long newest = -1;
        try (Stream<Path> walk = Files.walk(root, 3)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("chk-") && Files.exists(p.resolve("_metadata"))) {
                    newest = Math.max(newest, Long.parseLong(name.substring(4)));
                }
            }
        }
        return newest;
    }

    /** A port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
