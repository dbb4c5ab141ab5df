package dev.sluice.controller;

import dev.sluice.controller.cli.SluiceCli;
import dev.sluice.controller.runtime.PlatformCommand;

/**
 * The one entry point of {@code ./sluice}: {@code up} and {@code demo} run the embedded platform in
 * this JVM; every other command is the thin REST client.
 */
public final class SluiceMain {

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "up":
                PlatformCommand.up(args);
                return;
            case "demo":
                PlatformCommand.demo(args);
                return;
            default:
                System.exit(SluiceCli.run(args, System.out, System.err));
        }
    }

    private SluiceMain() {}
}
