package io.github.orderstock.benchmark.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Finds the processes of the stack and names each by what it runs; reads their resident memory from /proc. */
public final class StackProcesses {

    /** A process of the stack and the part it is. */
    public record StackProcess(String name, long pid) {
    }

    private StackProcesses() {
    }

    /** The launcher and every process it started (they run under setsid but stay its descendants). */
    public static List<StackProcess> launchedBy(ProcessHandle launcher) {
        List<StackProcess> found = new ArrayList<>();
        if (launcher.isAlive()) {
            found.add(new StackProcess("dev-stack launcher", launcher.pid()));
        }
        launcher.descendants().forEach(process -> commandLine(process.pid())
                .flatMap(StackProcesses::name)
                .ifPresent(name -> found.add(new StackProcess(name, process.pid()))));
        return found;
    }

    /**
     * The processes of a stack started elsewhere, from the services listening on the given ports: if their parent is
     * a dev-stack launcher, it and all it started (other stacks on the same machine are left out); otherwise the two
     * services alone. Empty if no process of this machine listens there (Docker, another host).
     */
    public static List<StackProcess> listeningOn(int commandPort, int queryPort) {
        List<StackProcess> services = new ArrayList<>();
        for (int port : List.of(commandPort, queryPort)) {
            OptionalLong pid = pidListeningOn(port);
            if (pid.isEmpty()) {
                continue;
            }
            Optional<ProcessHandle> parent = ProcessHandle.of(pid.getAsLong()).flatMap(ProcessHandle::parent);
            if (parent.isPresent() && commandLine(parent.get().pid()).flatMap(StackProcesses::name)
                    .filter("dev-stack launcher"::equals).isPresent()) {
                return launchedBy(parent.get());
            }
            services.add(new StackProcess(commandLine(pid.getAsLong()).flatMap(StackProcesses::name)
                    .orElse(port == commandPort ? "command-side" : "query-side"), pid.getAsLong()));
        }
        return services;
    }

    /** {@link #listeningOn} as a supplier that looks the processes up again at most every 10 s, or when one is gone. */
    static Supplier<List<StackProcess>> listening(int commandPort, int queryPort) {
        long[] foundAt = {Long.MIN_VALUE};
        List<List<StackProcess>> found = new ArrayList<>(List.of(List.of()));
        return () -> {
            synchronized (found) {
                long now = System.nanoTime();
                boolean gone = found.get(0).stream().anyMatch(p -> ProcessHandle.of(p.pid()).isEmpty());
                if (foundAt[0] == Long.MIN_VALUE || gone || now - foundAt[0] > 10_000_000_000L) {
                    found.set(0, listeningOn(commandPort, queryPort));
                    foundAt[0] = now;
                }
                return found.get(0);
            }
        };
    }

    /** The process that has a listening TCP socket on the port, from /proc/net/tcp{,6} and the processes' fds. */
    static OptionalLong pidListeningOn(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                inodes.addAll(listeningInodes(Files.readString(Path.of(table)), port));
            } catch (IOException | RuntimeException e) {
                // no IPv6, or not Linux
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        return ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid)
                .filter(pid -> holdsSocket(pid, inodes))
                .findFirst().stream().mapToObj(OptionalLong::of).findFirst().orElse(OptionalLong.empty());
    }

    /** Inodes of the sockets in a /proc/net/tcp table that listen (state 0A) on the port. */
    static Set<String> listeningInodes(String table, int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(":%04X", port);
        for (String line : table.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals("0A")) {
                inodes.add(fields[9]);
            }
        }
        return inodes;
    }

    private static boolean holdsSocket(long pid, Set<String> inodes) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:[")
                            && inodes.contains(target.substring(8, target.length() - 1));
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The part a command line runs, or empty if it is none of the stack's: the Kafka broker, the MongoDB stand-in,
     * a service's jar, the launcher.
     */
    static Optional<String> name(String commandLine) {
        if (!commandLine.contains("java")) {
            return Optional.empty();
        }
        if (commandLine.contains("kafka.tools.StorageTool")) {
            return Optional.of("kafka storage format");
        }
        if (commandLine.contains(" kafka.Kafka ")) {
            return Optional.of("kafka");
        }
        if (commandLine.contains("devstack.MongoStandIn")) {
            return Optional.of("mongo stand-in");
        }
        if (commandLine.contains("command-side.jar")) {
            return Optional.of("command-side");
        }
        if (commandLine.contains("query-side.jar")) {
            return Optional.of("query-side");
        }
        if (commandLine.contains("dev-stack.jar") || commandLine.contains("devstack.DevStack")) {
            return Optional.of("dev-stack launcher");
        }
        return Optional.empty();
    }

    /** The process's command line with its arguments separated by blanks, from /proc/pid/cmdline. */
    static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
            return line.isBlank() ? Optional.empty() : Optional.of(" " + line);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * CPU time a process has used so far (user + system), in clock ticks of 1/100 s; with {@code children}, also
     * that of its children it has waited for (for this JVM: the wrk runs).
     */
    public static OptionalLong cpuTicks(long pid, boolean children) {
        try {
            return OptionalLong.of(parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")),
                    children));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** utime + stime (+ cutime + cstime) from the text of /proc/pid/stat, whose second field may hold blanks. */
    static long parseCpuTicks(String stat, boolean children) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // After "pid (comm) ": state is field 3 of the man page, so field n is at index n - 3.
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        if (children) {
            ticks += Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
        }
        return ticks;
    }

    /** VmRSS and VmHWM of a process, in KiB; empty once it is gone. */
    public static Optional<long[]> residentKiB(long pid) {
        try {
            return Optional.of(parseStatus(Files.readString(Path.of("/proc", Long.toString(pid), "status"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code [VmRSS, VmHWM]} in KiB from the text of /proc/pid/status. */
    static long[] parseStatus(String status) {
        return new long[] {field(status, "VmRSS:").orElseThrow(), field(status, "VmHWM:").orElse(0)};
    }

    private static OptionalLong field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return OptionalLong.of(Long.parseLong(line.substring(name.length()).replaceAll("\\D", "")));
            }
        }
        return OptionalLong.empty();
    }
}
