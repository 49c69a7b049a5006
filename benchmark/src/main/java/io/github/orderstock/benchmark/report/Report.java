package io.github.orderstock.benchmark.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Everything a run measured, filled in phase by phase; {@link TableRenderer} prints it and {@link #writeJson} writes
 * the same figures. Phases that did not run are null or empty. Thread-safe: the shutdown hook may write it while a
 * phase is still adding to it.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // "targets" is derived from the figures when read back.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule().addSerializer(Double.class, new Rounded())
                    .addSerializer(double.class, new Rounded()));

    /** Seconds and milliseconds to three decimals: the clocks are not finer than that, and the JSON stays legible. */
    private static final class Rounded extends StdSerializer<Double> {

        Rounded() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (value.isNaN() || value.isInfinite()) {
                generator.writeNull();
            } else {
                generator.writeNumber(BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros()
                        .toPlainString());
            }
        }
    }

    private final String startedAt;
    private final Machine machine;
    /** Where the stack came from and the settings the run used (durations, counts, backend). */
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private Figures.ColdStart coldStart;
    private final List<Figures.Http> http = new ArrayList<>();
    /** Seconds from the end of the last wrk run until the read model had applied every accepted order. */
    private Double httpReadModelCatchUpSeconds;
    private final List<Figures.EndToEnd> endToEnd = new ArrayList<>();
    private Figures.OldOrderIds oldOrderIds;
    private Figures.Replay replay;
    private final List<Figures.Memory> memory = new ArrayList<>();
    /** CPU use by part during each measured run. */
    private final List<Figures.CpuUse> cpu = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Figures.Failure> failures = new ArrayList<>();
    private boolean complete;

    public Report(String startedAt, Machine machine) {
        this.startedAt = startedAt;
        this.machine = machine;
    }

    /** For reading a report back from its JSON. */
    private Report() {
        this(null, null);
    }

    /**
     * Reads the figures of an earlier run, as {@link #writeJson} wrote them.
     *
     * @throws IOException if the file cannot be read or is not such a report
     */
    public static Report readJson(Path file) throws IOException {
        Report report = JSON.readValue(file.toFile(), Report.class);
        if (report.machine == null || report.startedAt == null) {
            throw new IOException(file + " is not a benchmark report (no startedAt and machine)");
        }
        return report;
    }

    @JsonProperty("targets")
    synchronized List<Figures.TargetCheck> targets() {
        return Targets.all(this);
    }

    public synchronized void setting(String name, Object value) {
        settings.put(name, value);
    }

    public synchronized void coldStart(Figures.ColdStart figures) {
        this.coldStart = figures;
    }

    public synchronized void http(Figures.Http figures) {
        http.add(figures);
    }

    public synchronized void httpReadModelCatchUp(double seconds) {
        this.httpReadModelCatchUpSeconds = seconds;
    }

    public synchronized void endToEnd(Figures.EndToEnd figures) {
        endToEnd.add(figures);
    }

    public synchronized void oldOrderIds(Figures.OldOrderIds figures) {
        this.oldOrderIds = figures;
    }

    public synchronized void replay(Figures.Replay figures) {
        this.replay = figures;
    }

    public synchronized void memory(List<Figures.Memory> figures) {
        memory.clear();
        memory.addAll(figures);
    }

    public synchronized void cpu(Figures.CpuUse use) {
        cpu.add(use);
    }

    public synchronized void note(String note) {
        notes.add(note);
    }

    public synchronized void failure(String phase, String message) {
        failures.add(new Figures.Failure(phase, message));
    }

    /** Marks the run as finished (not interrupted). */
    public synchronized void complete() {
        this.complete = true;
    }

    public synchronized boolean hasFailures() {
        return !failures.isEmpty();
    }

    public synchronized void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson());
    }

    /**
     * Draws every run's timeline ({@link SvgPlots}) into an SVG file; nothing if no run recorded one.
     *
     * @return whether a file was written
     */
    public synchronized boolean writePlots(Path file) throws IOException {
        String svg = SvgPlots.render(this);
        if (svg == null) {
            return false;
        }
        Files.writeString(file, svg);
        return true;
    }

    /** The plots' file beside the JSON: {@code x.json} → {@code x.svg}. */
    public static Path plotsBeside(Path json) {
        String name = json.getFileName().toString();
        return json.resolveSibling((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".svg");
    }

    public synchronized String toJson() {
        try {
            return JSON.writeValueAsString(this) + System.lineSeparator();
        } catch (IOException e) {
            throw new IllegalStateException("Could not write the figures as JSON: " + e.getMessage(), e);
        }
    }

    // Read access for the table and the targets.

    String startedAt() {
        return startedAt;
    }

    Machine machine() {
        return machine;
    }

    synchronized Map<String, Object> settings() {
        return new LinkedHashMap<>(settings);
    }

    synchronized Figures.ColdStart coldStart() {
        return coldStart;
    }

    synchronized List<Figures.Http> http() {
        return List.copyOf(http);
    }

    synchronized Double httpReadModelCatchUpSeconds() {
        return httpReadModelCatchUpSeconds;
    }

    synchronized List<Figures.EndToEnd> endToEnd() {
        return List.copyOf(endToEnd);
    }

    synchronized Figures.OldOrderIds oldOrderIds() {
        return oldOrderIds;
    }

    synchronized Figures.Replay replay() {
        return replay;
    }

    synchronized List<Figures.Memory> memory() {
        return List.copyOf(memory);
    }

    synchronized List<Figures.CpuUse> cpu() {
        return List.copyOf(cpu);
    }

    synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    synchronized List<Figures.Failure> failures() {
        return List.copyOf(failures);
    }

    synchronized boolean isComplete() {
        return complete;
    }
}
