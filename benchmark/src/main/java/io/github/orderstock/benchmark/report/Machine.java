package io.github.orderstock.benchmark.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine the figures were taken on; they mean little without it.
 *
 * @param memoryMiB    total memory (MemTotal)
 * @param mongoBackend the MongoDB stand-in's storage, {@code h2} or {@code memory}; null for a stack it did not start
 */
public record Machine(int cores, String cpu, long memoryMiB, String java, String os, String mongoBackend) {

    /** This machine, as {@code /proc} and the JVM describe it. */
    public static Machine current(String mongoBackend) {
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memTotalMiB(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                mongoBackend);
    }

    /** One line for the table. */
    String describe() {
        return String.format("%d cores (%s), %.1f GiB, %s, %s", cores, cpu, memoryMiB / 1024.0, java, os);
    }

    private static String cpuModel() {
        return procLines("/proc/cpuinfo").stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " "))
                .findFirst().orElse("unknown CPU");
    }

    private static long memTotalMiB() {
        return procLines("/proc/meminfo").stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
                .findFirst().orElse(Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    private static List<String> procLines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
