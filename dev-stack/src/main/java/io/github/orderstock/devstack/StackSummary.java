package io.github.orderstock.devstack;

import java.nio.file.Path;
import java.util.Locale;

/** What the launcher prints once everything serves: the parts, their logs, and how to try the shop. */
final class StackSummary {

    private StackSummary() {
    }

    /** The table the launcher prints once everything serves. */
    static String of(Stack stack) {
        StackOptions options = stack.options();
        var text = new StringBuilder(String.format("%n  %-13s %-30s %s%n", "part", "address", "log"));
        for (Child child : stack.children()) {
            String name = child == stack.mongo()
                    ? "mongo (" + options.mongoBackend().name().toLowerCase(Locale.ROOT) + ")" : child.name();
            text.append(String.format("  %-13s %-30s %s%n", name, child.address(), display(child.logFile())));
        }
        text.append(String.format("%n  data directory: %s%n", display(options.dataDir())));
        if (options.cluster()) {
            text.append(String.format("""
                      cluster: the topic keeps 3 copies (min.insync.replicas 2); any instance of a side takes any
                      request. One MongoDB stand-in: it cannot run a replica set.
                    """));
        }
        text.append(String.format("""

                  Place the original order, then read the stock:
                    curl -i -X POST localhost:%d/orders -H 'Content-Type: application/json' \
                -d '{"orderId":"1","productId":"1","quantity":"1"}'
                    curl localhost:%d/products/1

                  Watch the stock change as orders land: http://localhost:%d/

                  Admin operations (user %s, password in %s):
                    curl -i -u %s:%s -X POST localhost:%d/admin/replay
                """, options.commandPort(), options.queryPort(), options.queryPort(), Stack.ADMIN_USER,
                display(options.dataDir().resolve("admin-password")), Stack.ADMIN_USER, stack.adminPassword(),
                options.queryPort()));
        return text.toString();
    }

    /** A path relative to the working directory when it lies below it: shorter to read and to copy. */
    static Path display(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        return path.startsWith(cwd) && !path.equals(cwd) ? cwd.relativize(path) : path;
    }
}
