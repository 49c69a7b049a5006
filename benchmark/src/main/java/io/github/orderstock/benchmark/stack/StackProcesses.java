package io.github.orderstock.benchmark.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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

    /** The stack's processes among all of this user's, found by their command lines: for a stack started elsewhere. */
    public static List<StackProcess> findRunning() {
        List<StackProcess> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses()
                .filter(process -> process.pid() != self)
                .forEach(process -> commandLine(process.pid())
                        .flatMap(StackProcesses::name)
                        .ifPresent(name -> found.add(new StackProcess(name, process.pid()))));
        return found;
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
