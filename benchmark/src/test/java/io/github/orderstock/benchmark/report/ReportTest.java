package io.github.orderstock.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    /** Three seconds, the middle one without any answer. */
    static Figures.Timeline timeline() {
        return new Figures.Timeline(30, 1_500, 1.25, List.of(10.0, 0.0, 20.0), Arrays.asList(5.0, null, 6.0),
                Arrays.asList(9.0, null, 12.0), Arrays.asList(15.0, null, 250.0));
    }

    static Report fullReport() {
        var report = new Report("2025-01-01 12:00:00",
                new Machine(2, "Test CPU", 4096, "OpenJDK 17", "Linux", "h2"));
        report.setting("stack", "started by the benchmark");
        report.setting("httpSecondsPerLevel", 20);
        report.setting("httpWarmUpSeconds", 5);
        report.setting("httpWarmUpConnections", 16);
        report.setting("httpProducts", 100);
        report.coldStart(new Figures.ColdStart(14.2, 15.9123456, 12.0));
        report.http(new Figures.Http(1, 1, 20, 20_000, 1_000, 0.95, 2.5, 30, 0, 0, 0, 0, 0));
        report.http(new Figures.Http(64, 2, 20, 100_000, 5_000, 9, 48, 300, 10, 0, 1, 0, 0, timeline()));
        report.httpReadModelCatchUp(3.25);
        report.endToEnd(new Figures.EndToEnd(10_000, 1, 2.5, 3.0, 3333.3333, 0, true, "", timeline()));
        report.endToEnd(new Figures.EndToEnd(10_000, 100, 2.5, 60, 0, 0, false, "3 of 100 products differ"));
        report.oldOrderIds(new Figures.OldOrderIds(10_000, 12_000, 16, 20, 600, 1_000, 8, 8, 4, Map.of(201, 1_000L),
                1_200, 300, 0, true, "", timeline(), timeline()));
        report.replay(new Figures.Replay(1_000_000, 1_000, 6.2, 300, 3333, 1_100_000, 1_100_000, 0.4, 20, 55_000,
                20.4, true, "equal"));
        report.memory(List.of(new Figures.Memory("kafka", 11, 500, 480, 300),
                new Figures.Memory("command-side", 12, 390.4, 380, 300),
                new Figures.Memory("query-side", 13, 420, 410, 300)));
        report.cpu(new Figures.CpuUse("http, 64 clients", 20.04, java.util.Map.of("command-side", 120.4,
                "load generator", 30.0, "kafka storage format", 0.0)));
        report.note("a note");
        report.failure("e2e", "it failed; do this");
        report.complete();
        return report;
    }

    @Test
    void theJsonHoldsTheSameFiguresAsTheTableAndEachTarget(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/figures.json");
        fullReport().writeJson(file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));

        assertThat(json.path("machine").path("cores").asInt()).isEqualTo(2);
        assertThat(json.path("machine").path("mongoBackend").asText()).isEqualTo("h2");
        assertThat(json.path("coldStart").path("readySeconds").asDouble()).isEqualTo(15.912);
        assertThat(json.path("http")).hasSize(2);
        assertThat(json.path("http").get(1).path("connections").asInt()).isEqualTo(64);
        assertThat(json.path("http").get(1).path("p99Ms").asDouble()).isEqualTo(48);
        assertThat(json.path("http").get(1).path("readErrors").asInt()).isEqualTo(1);
        JsonNode timeline = json.path("http").get(1).path("timeline");
        assertThat(timeline.path("longestSilenceMs").asDouble()).isEqualTo(1_500);
        assertThat(timeline.path("longestSilenceFromSeconds").asDouble()).isEqualTo(1.25);
        assertThat(timeline.path("answersPerSecond").toString()).isEqualTo("[10,0,20]");
        assertThat(timeline.path("p50Ms").toString()).isEqualTo("[5,null,6]");
        assertThat(timeline.path("p99Ms").get(2).asDouble()).isEqualTo(12);
        assertThat(timeline.path("maxMs").get(2).asDouble()).isEqualTo(250);
        assertThat(json.path("http").get(0).path("timeline").isNull()).isTrue();
        assertThat(json.path("endToEnd").get(0).path("timeline").path("answers").asInt()).isEqualTo(30);
        JsonNode oldIds = json.path("oldOrderIds");
        assertThat(oldIds.path("freshOrdersPerSecond").asDouble()).isEqualTo(300);
        assertThat(oldIds.path("repeatStatuses").path("201").asInt()).isEqualTo(1_000);
        assertThat(oldIds.path("timeline").path("longestSilenceMs").asDouble()).isEqualTo(1_500);
        assertThat(oldIds.path("freshTimeline").path("answersPerSecond")).hasSize(3);
        assertThat(json.path("httpReadModelCatchUpSeconds").asDouble()).isEqualTo(3.25);
        assertThat(json.path("endToEnd").get(0).path("ordersPerSecond").asDouble()).isEqualTo(3333.333);
        assertThat(json.path("endToEnd").get(1).path("exact").asBoolean()).isFalse();
        assertThat(json.path("replay").path("eventsPerSecond").asDouble()).isEqualTo(55_000);
        assertThat(json.path("memory")).hasSize(3);
        assertThat(json.path("notes").get(0).asText()).isEqualTo("a note");
        assertThat(json.path("failures").get(0).path("phase").asText()).isEqualTo("e2e");
        assertThat(json.path("complete").asBoolean()).isTrue();
        assertThat(json.path("cpu").get(0).path("percentOfCore").path("command-side").asDouble()).isEqualTo(120.4);

        JsonNode targets = json.path("targets");
        assertThat(targets).hasSize(7);
        assertThat(targets.findValuesAsText("figure")).containsExactly("whole stack ready",
                "POST /orders, 64 clients", "end to end, 10,000 orders over 1 product",
                "end to end, 10,000 orders over 100 products", "replay", "resident memory, command-side",
                "resident memory, query-side");
        assertThat(targets.findValues("pass")).extracting(JsonNode::asBoolean)
                .containsExactly(true, true, true, false, true, true, false);
    }

    @Test
    void theTablePutsEveryTargetBesideItsFigure() {
        String table = TableRenderer.render(fullReport());

        assertThat(table).contains("machine  2 cores (Test CPU), 4.0 GiB, OpenJDK 17, Linux")
                .contains("MongoDB stand-in backend: h2")
                .containsPattern("ready: an order for product 1 .* 15\\.9 s +≤ 20 s +pass")
                .contains("20 s per level after a 5 s warm-up with 16 clients; unique order ids over 100 products")
                .containsPattern("64 +2 +100,000 +5,000 +9\\.00 ms +48\\.0 ms +300\\.0 ms +10 +1 +1,500 ms +"
                        + "≥ 4,000/s, p99 ≤ 50 ms +pass")
                .containsPattern("longest silence +target")
                .containsPattern("10,000 +1 +2\\.5 s +3\\.0 s +3,333 +0 +1,500 ms +≥ 3,000 orders/s +pass")
                .contains("Old order ids (12,000 orders on one product, which remembers the last 10,000; then its "
                        + "1,000 oldest ids repeated while fresh orders flow)")
                .containsPattern("fill: fresh orders on one product, 16 clients +12,000 +20\\.0 +600\n")
                .containsPattern("repeats of the oldest ids, 8 clients +1,000 +4\\.0 +250 +1,500 ms\n")
                .containsPattern("meanwhile fresh orders accepted, 8 clients +1,200 +4\\.0 +300 +1,500 ms\n")
                .contains("repeats' final answers by status: {201=1000}; errors 0; stock in the read model exact")
                .contains("longest silence: the longest interval from a run's first request to its end")
                .containsPattern("10,000 +100 +2\\.5 s +NOT exact")
                .containsPattern("replay of the whole topic.* 1,100,000 +20\\.0 +55,000 +≥ 50,000 events/s +pass")
                .containsPattern("POST /admin/replay answered .* 0\\.4\n")
                .containsPattern("kafka +11 +500 +480 +300\n")
                .containsPattern("query-side +13 +420 +410 +300 +≤ 400 MiB +miss")
                .contains("the read model had applied every accepted order 3.3 s after the last run")
                .contains("Targets: 5 of 7 met; missed: end to end, 10,000 orders over 100 products; resident "
                        + "memory, query-side.")
                .contains("CPU during each run (% of one core; the machine has 2, so at most 200 in all)")
                .containsPattern("run +seconds +command-side +load generator\n")
                .containsPattern("http, 64 clients +20\\.0 +120 +30\n")
                .contains("Note: a note")
                .contains("FAILED e2e: it failed; do this");
        assertThat(table.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
    }

    @Test
    void aReportReadBackPrintsTheSameTable(@TempDir Path dir) throws Exception {
        Report report = fullReport();
        Path file = dir.resolve("run.json");
        report.writeJson(file);

        Report read = Report.readJson(file);
        // Rounded to three decimals in the JSON: the table shows at most one or two.
        assertThat(TableRenderer.render(read)).isEqualTo(TableRenderer.render(report));
    }

    @Test
    void aFileThatIsNoReportIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("other.json");
        Files.writeString(file, "{\"name\":\"x\"}");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Report.readJson(file))
                .hasMessageContaining("not a benchmark report");
    }

    @Test
    void anInterruptedRunSaysSo() {
        var report = new Report("now", new Machine(2, "cpu", 1024, "java", "os", null));

        assertThat(TableRenderer.render(report)).contains("INTERRUPTED").doesNotContain("Targets:")
                .doesNotContain("backend");
    }
}
