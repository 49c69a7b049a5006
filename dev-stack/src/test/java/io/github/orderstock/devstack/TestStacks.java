package io.github.orderstock.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Stacks for tests: a fresh data directory, free ports, and the children's log tails when a test fails. */
final class TestStacks {

    private TestStacks() {
    }

    /** Options for a stack on free ports with the H2 backend. */
    static StackOptions options(Path dataDir) {
        List<Integer> ports = freePorts(5);
        return StackOptions.parse(List.of(
                "--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(ports.get(0)),
                "--kafka-controller-port", String.valueOf(ports.get(1)),
                "--mongo-port", String.valueOf(ports.get(2)),
                "--command-port", String.valueOf(ports.get(3)),
                "--query-port", String.valueOf(ports.get(4)),
                "--mongo-backend", "h2"), Map.of());
    }

    private static List<Integer> freePorts(int count) {
        // All sockets stay open until every port is picked, so the kernel cannot hand out one port twice.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sockets.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only a probe
                }
            });
        }
    }

    /** Prints the tail of every child's log when a test fails. */
    static final class LogsOnFailure implements TestWatcher {

        private static volatile Stack stack;

        static void watch(Stack running) {
            stack = running;
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            Stack current = stack;
            if (current == null) {
                return;
            }
            System.err.printf("%n===== %s failed; data directory %s =====%n", context.getDisplayName(),
                    current.options().dataDir());
            for (Child child : current.children()) {
                System.err.printf("%n----- %s (%s), last 60 lines of %s -----%n%s%n", child.name(),
                        child.isAlive() ? "running, pid " + child.pid().orElse(-1L) : "not running",
                        child.logFile(), child.logTail(60));
            }
        }
    }
}
