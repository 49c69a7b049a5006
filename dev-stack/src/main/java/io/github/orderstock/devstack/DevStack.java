package io.github.orderstock.devstack;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar dev-stack/target/dev-stack.jar [options]}: starts the stack and keeps it up until Ctrl-C, starting
 * again any part that dies ({@link Supervisor}).
 */
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
        var supervisor = new Supervisor(stack.children(), System.out::println, Clock.systemDefaultZone());
        var stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            supervisor.close();
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
                StackSummary.of(stack));
        // A part that dies from now on is started again, and the console says so.
        supervisor.start();
        Thread.currentThread().join();
    }
}
