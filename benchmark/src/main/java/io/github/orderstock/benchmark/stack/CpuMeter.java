package io.github.orderstock.benchmark.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.orderstock.benchmark.report.Figures;

/**
 * How much CPU each process of the stack, and the load generator, used during one measured run: tells which part
 * is the bottleneck when a figure misses. Percent of one core, so on 2 cores all together can reach 200.
 */
public final class CpuMeter {

    /** The benchmark's own JVM and the wrk runs it waited for. */
    public static final String LOAD_GENERATOR = "load generator";
    private static final double TICKS_PER_SECOND = 100.0;

    private final Supplier<List<StackProcesses.StackProcess>> processes;

    /** The CPU time used so far by each process, when a run started. */
    public record Mark(long nanos, Map<String, Long> ticks) {
    }

    public CpuMeter(Supplier<List<StackProcesses.StackProcess>> processes) {
        this.processes = processes;
    }

    public Mark mark() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        List<StackProcesses.StackProcess> current;
        try {
            current = processes.get();
        } catch (RuntimeException e) {
            current = List.of();
        }
        for (StackProcesses.StackProcess process : current) {
            StackProcesses.cpuTicks(process.pid(), false)
                    .ifPresent(t -> ticks.merge(process.name() + "#" + process.pid(), t, Long::sum));
        }
        StackProcesses.cpuTicks(ProcessHandle.current().pid(), true)
                .ifPresent(t -> ticks.put(LOAD_GENERATOR, t));
        return new Mark(System.nanoTime(), ticks);
    }

    /** The CPU use of each part between the mark and now, by part name. */
    public Figures.CpuUse since(Mark start, String run) {
        Mark end = mark();
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        Map<String, Double> percent = new LinkedHashMap<>();
        end.ticks().forEach((key, ticks) -> {
            long used = ticks - start.ticks().getOrDefault(key, 0L);
            String name = key.contains("#") ? key.substring(0, key.lastIndexOf('#')) : key;
            percent.merge(name, seconds > 0 ? used / TICKS_PER_SECOND / seconds * 100 : 0, Double::sum);
        });
        return new Figures.CpuUse(run, seconds, percent);
    }
}
