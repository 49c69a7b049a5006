package io.github.orderstock.testsupport;

import io.github.orderstock.devstack.StackException;
import io.github.orderstock.devstack.StackOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Options for a {@link TestStack}: a data directory of the caller's and free loopback ports. */
public final class TestStackOptions {

    private TestStackOptions() {
    }

    /**
     * Options for a stack in {@code dataDir} on free loopback ports.
     *
     * @param home         the project clone, or null to find it from the working directory
     * @param mongoBackend {@code h2} (data survives a restart) or {@code memory}
     */
    public static StackOptions single(Path home, Path dataDir, String mongoBackend) {
        List<String> args = new ArrayList<>();
        if (home != null) {
            args.addAll(List.of("--home", home.toString()));
        }
        List<Integer> ports = freePorts(5);
        args.addAll(List.of("--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(ports.get(0)),
                "--kafka-controller-port", String.valueOf(ports.get(1)),
                "--mongo-port", String.valueOf(ports.get(2)),
                "--command-port", String.valueOf(ports.get(3)),
                "--query-port", String.valueOf(ports.get(4)),
                "--mongo-backend", mongoBackend));
        return StackOptions.parse(args, Map.of());
    }

    /**
     * Options for a cluster ({@code --cluster}: three Kafka brokers, two instances of each service, one MongoDB
     * stand-in on its H2 backend) in {@code dataDir}, on a block of free ports: brokers at base, +2, +4 with their
     * controllers at +1, +3, +5; MongoDB at +6; the command sides at +7, +9 and the query sides at +8, +10.
     */
    public static StackOptions cluster(Path home, Path dataDir) {
        List<String> args = new ArrayList<>();
        if (home != null) {
            args.addAll(List.of("--home", home.toString()));
        }
        int base = freeBlock(11);
        args.addAll(List.of("--cluster", "--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(base),
                "--kafka-controller-port", String.valueOf(base + 1),
                "--mongo-port", String.valueOf(base + 6),
                "--command-port", String.valueOf(base + 7),
                "--query-port", String.valueOf(base + 8),
                "--mongo-backend", "h2"));
        return StackOptions.parse(args, Map.of());
    }

    /** The first of {@code count} consecutive free ports, below the kernel's ephemeral range. */
    private static int freeBlock(int count) {
        var random = new java.util.Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + random.nextInt(12_000);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new StackException("No block of " + count + " free ports found between 20000 and 32000");
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (var socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /** Loopback ports nobody listens on now, all different: every socket stays open until all are picked. */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                var socket = new ServerSocket();
                held.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new StackException("Could not find free ports on the loopback interface: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only a probe
                }
            }
        }
    }
}
