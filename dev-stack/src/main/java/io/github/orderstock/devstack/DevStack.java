package io.github.orderstock.devstack;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code java -jar dev-stack/target/dev-stack.jar [options]}: starts the stack and keeps it up until Ctrl-C. */
public final class DevStack {

    private DevStack() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = List.of(args);
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(StackOptions.usage());
            return;
        }
        StackOptions options;
        try {
            options = StackOptions.parse(arguments, System.getenv());
        } catch (StackException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }

        var stack = new Stack(options);
        var stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            if (stack.isAnyAlive()) {
                System.out.println(System.lineSeparator() + "Stopping the stack...");
            }
            stack.close();
        }, "dev-stack-shutdown"));

        System.out.println("Starting the order-stock dev stack in " + options.dataDir());
        long started = System.nanoTime();
        try {
            stack.start();
        } catch (StackException e) {
            if (!stopping.get()) {
                System.err.println(System.lineSeparator() + e.getMessage());
                System.exit(1);
            }
            return;
        }
        System.out.printf("%nAll up in %.1f s.%s%nPress Ctrl-C to stop.%n", (System.nanoTime() - started) / 1e9,
                stack.summary());
        for (Child child : stack.children()) {
            child.process().onExit().thenAccept(process -> {
                if (!stopping.get()) {
                    System.err.printf("%s exited unexpectedly (code %d); see %s%n", child.name(),
                            process.exitValue(), child.logFile());
                }
            });
        }
        Thread.currentThread().join();
    }
}
