package io.github.orderstock.benchmark.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.orderstock.benchmark.report.Figures;

/**
 * Samples the resident memory of every process of the stack once a second, for the whole run: the last VmRSS and
 * the kernel's high-water mark (VmHWM, which also catches peaks between samples).
 */
public final class MemorySampler implements AutoCloseable {

    private static final double KIB_PER_MIB = 1024.0;

    private final Supplier<List<StackProcesses.StackProcess>> processes;
    private final Map<Long, Sample> samples = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "memory-sampler");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Sample {
        final String name;
        final long pid;
        long lastRssKiB;
        long peakKiB;
        int count;

        Sample(String name, long pid) {
            this.name = name;
            this.pid = pid;
        }
    }

    /** @param processes finds the stack's processes; asked every second, so that restarted parts are seen too */
    public MemorySampler(Supplier<List<StackProcesses.StackProcess>> processes) {
        this.processes = processes;
    }

    public MemorySampler start() {
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    /** Takes one sample of every process now. */
    public void sample() {
        List<StackProcesses.StackProcess> current;
        try {
            current = processes.get();
        } catch (RuntimeException e) {
            return;
        }
        for (StackProcesses.StackProcess process : current) {
            StackProcesses.residentKiB(process.pid()).ifPresent(kib -> record(process, kib));
        }
    }

    private synchronized void record(StackProcesses.StackProcess process, long[] kib) {
        Sample sample = samples.computeIfAbsent(process.pid(), pid -> new Sample(process.name(), pid));
        sample.lastRssKiB = kib[0];
        sample.peakKiB = Math.max(sample.peakKiB, Math.max(kib[0], kib[1]));
        sample.count++;
    }

    /** Whether any process of the stack has been seen. */
    public synchronized boolean sawAny() {
        return !samples.isEmpty();
    }

    /** Peak and last value per process, in the order they were first seen. */
    public synchronized List<Figures.Memory> figures() {
        List<Figures.Memory> figures = new ArrayList<>();
        for (Sample sample : samples.values()) {
            figures.add(new Figures.Memory(sample.name, sample.pid, sample.peakKiB / KIB_PER_MIB,
                    sample.lastRssKiB / KIB_PER_MIB, sample.count));
        }
        return figures;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
