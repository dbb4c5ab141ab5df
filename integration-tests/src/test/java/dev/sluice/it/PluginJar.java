package dev.sluice.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a processor plugin jar the way an author's build would: compiles the plugin's source
 * against the SDK (the test class path) and packs only its classes and its {@code
 * META-INF/services} entry. The plugin's classes then exist in that jar alone, as for a real
 * plugin.
 */
final class PluginJar {

    /**
     * Compiles {@code source} (a factory class {@code factoryClass}) and writes the jar to {@code
     * jar}.
     */
    static Path build(Path source, String factoryClass, Path jar) throws IOException {
        Path work = Files.createTempDirectory("sluice-plugin");
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the plugin jar needs a JDK's compiler, not a JRE");
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status =
                javac.run(
                        null,
                        diagnostics,
                        diagnostics,
                        "-classpath",
                        testClassPath(),
                        "--release",
                        "17",
                        "-d",
                        classes.toString(),
                        source.toString());
        if (status != 0) {
            throw new IllegalStateException(
                    "compiling "
                            + source
                            + " failed: "
                            + diagnostics.toString(StandardCharsets.UTF_8));
        }
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            List<Path> classFiles = new ArrayList<>();
            files.filter(Files::isRegularFile).sorted().forEach(classFiles::add);
            for (Path file : classFiles) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            out.putNextEntry(
                    new JarEntry("META-INF/services/dev.sluice.sdk.factory.ProcessorFactory"));
            write(out, factoryClass + "\n");
            out.closeEntry();
        }
        return jar;
    }

    /** The class path the tests run with (Surefire/Failsafe may hide it behind a manifest jar). */
    private static String testClassPath() {
        String path = System.getProperty("surefire.test.class.path");
        return path != null && !path.isEmpty() ? path : System.getProperty("java.class.path");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private PluginJar() {}
}
