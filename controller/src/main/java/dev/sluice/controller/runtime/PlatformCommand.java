package dev.sluice.controller.runtime;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;

/**
 * {@code sluice up} and {@code sluice demo}: start the embedded platform in the foreground, print
 * its addresses and "ready" once every part answers, and on Ctrl-C / SIGTERM stop everything before
 * the process exits.
 */
public final class PlatformCommand {

    /** Runs {@code up}; returns only after a signal has stopped the platform. */
    public static void up(String[] args) throws Exception {
        run(args, false);
    }

    /** Runs {@code demo}: {@code up}, plus a sample topic, producer, pipeline and printer. */
    public static void demo(String[] args) throws Exception {
        run(args, true);
    }

    private static void run(String[] args, boolean demo) throws Exception {
        PrintStream out = System.out;
        PlatformConfig config;
        try {
            config = parse(args, demo);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        long start = System.nanoTime();
        out.println("Starting Sluice (data in " + config.dataDir() + ") ...");
        SluicePlatform platform;
        try {
            platform = SluicePlatform.start(config);
        } catch (Exception e) {
            System.err.println("error: the platform could not start: " + e.getMessage());
            LogManager.shutdown();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        DemoRunner[] demoRunner = new DemoRunner[1];
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    out.println("Stopping Sluice ...");
                                    if (demoRunner[0] != null) {
                                        demoRunner[0].close();
                                    }
                                    platform.close();
                                    out.println("Sluice stopped.");
                                    stopped.countDown();
                                    LogManager.shutdown();
                                },
                                "sluice-shutdown"));
        out.println("  controller      " + platform.apiUrl());
        out.println("  flink dashboard " + platform.flinkUrl());
        out.println("  schema registry " + platform.registryUrl());
        out.println("  kafka           " + platform.bootstrapServers());
        out.printf("ready (started in %.1f s)%n", (System.nanoTime() - start) / 1e9);
        out.flush();
        if (demo) {
            demoRunner[0] = new DemoRunner(platform, out);
            demoRunner[0].start();
        }
        stopped.await();
    }

    static PlatformConfig parse(String[] args, boolean demo) {
        PlatformConfig.Builder b = PlatformConfig.builder();
        boolean runtimeJarGiven = false;
        if (demo) {
            b.dataDir(Path.of(".sluice-demo"));
        }
        for (int i = 1; i < args.length; i++) {
            String flag = args[i];
            String value;
            int eq = flag.indexOf('=');
            if (eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--data-dir":
                    b.dataDir(Path.of(value));
                    break;
                case "--plugins-dir":
                    b.pluginsDir(Path.of(value));
                    break;
                case "--host":
                    b.host(value);
                    break;
                case "--api-port":
                    b.apiPort(intValue(flag, value));
                    break;
                case "--flink-port":
                    b.flinkPort(intValue(flag, value));
                    break;
                case "--registry-port":
                    b.registryPort(intValue(flag, value));
                    break;
                case "--kafka-port":
                    b.kafkaPort(intValue(flag, value));
                    break;
                case "--kafka-bootstrap":
                    b.externalKafka(value);
                    break;
                case "--registry-url":
                    b.externalRegistry(value);
                    break;
                case "--flink-rest":
                    b.externalFlink(value);
                    break;
                case "--runtime-jar":
                    b.runtimeJar(Path.of(value));
                    runtimeJarGiven = true;
                    break;
                case "--task-slots":
                    b.taskSlots(intValue(flag, value));
                    break;
                case "--iceberg-rest":
                    b.icebergRestCatalog(value);
                    break;
                default:
                    throw new IllegalArgumentException(
                            "unknown flag "
                                    + flag
                                    + "; allowed: --data-dir, --plugins-dir, --host, --api-port,"
                                    + " --flink-port, --registry-port, --kafka-port,"
                                    + " --kafka-bootstrap, --registry-url, --flink-rest,"
                                    + " --runtime-jar, --task-slots, --iceberg-rest");
            }
        }
        String defaultJar = System.getProperty("sluice.runtime.jar");
        if (!runtimeJarGiven && defaultJar != null && Files.isRegularFile(Path.of(defaultJar))) {
            b.runtimeJar(Path.of(defaultJar));
        }
        return b.build();
    }

    private static int intValue(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " expects a number, got '" + value + "'");
        }
    }

    private PlatformCommand() {}
}
