package dev.sluice.testing.db;

import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers, asked once: tests then use Testcontainers, else local servers.
 */
final class Docker {
    private static volatile Boolean available;

    private Docker() {}

    static boolean available() {
        if (Boolean.getBoolean("sluice.test.noDocker")) {
            return false;
        }
        Boolean known = available;
        if (known == null) {
            boolean answer;
            try {
                answer = DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                answer = false;
            }
            available = known = answer;
        }
        return known;
    }
}
