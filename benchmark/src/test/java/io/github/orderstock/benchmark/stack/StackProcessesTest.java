package io.github.orderstock.benchmark.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StackProcessesTest {

    @Test
    void namesEachPartByItsCommandLine() {
        String java = " /usr/lib/jvm/java-17/bin/java -Xmx256m -javaagent:/tmp/x/run/parent-watch.jar=42 ";
        assertThat(StackProcesses.name(java + "-cp /w/dev-stack/target/dev-stack.jar kafka.Kafka /d/server.properties"))
                .hasValue("kafka");
        assertThat(StackProcesses.name(java + "-cp a.jar kafka.tools.StorageTool format -t x"))
                .hasValue("kafka storage format");
        assertThat(StackProcesses.name(java + "-cp a.jar io.github.orderstock.devstack.MongoStandIn 127.0.0.1 1 h2"))
                .hasValue("mongo stand-in");
        assertThat(StackProcesses.name(java + "-jar /w/command-side/target/command-side.jar"))
                .hasValue("command-side");
        assertThat(StackProcesses.name(java + "-jar /w/query-side/target/query-side.jar")).hasValue("query-side");
        assertThat(StackProcesses.name(" java -Xmx128m -jar dev-stack/target/dev-stack.jar --data-dir /tmp/d"))
                .hasValue("dev-stack launcher");
        assertThat(StackProcesses.name(" /usr/bin/wrk -t 2 -c 64 http://127.0.0.1:3000/orders")).isEmpty();
        assertThat(StackProcesses.name(" vim command-side.jar")).isEmpty();
    }

    @Test
    void findsTheSocketsListeningOnAPort() {
        String table = """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1149 1 0
                   1: 0100007F:0BB8 0100007F:59D8 01 00000000:00000000 03:00000405 00000000     0        0 2222 3 0
                   2: 0100007F:0BB9 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3333 1 0
                """;

        assertThat(StackProcesses.listeningInodes(table, 3000)).containsExactly("1149");
        assertThat(StackProcesses.listeningInodes(table, 3001)).containsExactly("3333");
        assertThat(StackProcesses.listeningInodes(table, 3002)).isEmpty();
    }

    @Test
    void findsTheProcessListeningOnAPort() throws Exception {
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(StackProcesses.pidListeningOn(server.getLocalPort()))
                    .hasValue(ProcessHandle.current().pid());
        }
    }

    @Test
    void readsResidentMemoryAndItsHighWaterMark() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  412368 kB\nVmRSS:\t  400000 kB\nThreads:\t50\n";

        assertThat(StackProcesses.parseStatus(status)).containsExactly(400_000, 412_368);
    }

    @Test
    void readsCpuTimeEvenWhenTheProcessNameHoldsBlanksAndParentheses() {
        String stat = "4242 (Java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 250 30 7 20 0 50 0 99 "
                + "5000000 100000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

        assertThat(StackProcesses.parseCpuTicks(stat, false)).isEqualTo(1750);
        assertThat(StackProcesses.parseCpuTicks(stat, true)).isEqualTo(1787);
    }

    @Test
    void meteringThisProcessGivesItsCpuUseAsTheLoadGenerator() {
        var meter = new CpuMeter(java.util.List::of);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        CpuMeter.Mark mark = meter.mark();
        // Spin until this thread has used 200 ms of CPU, however long a busy machine makes that take.
        long spin = threads.getCurrentThreadCpuTime() + 200_000_000L;
        double sink = 0;
        while (threads.getCurrentThreadCpuTime() < spin) {
            sink += Math.sqrt(sink + 1);
        }

        var use = meter.since(mark, "spin " + sink);
        assertThat(use.seconds()).isGreaterThanOrEqualTo(0.2);
        assertThat(use.percentOfCore()).containsOnlyKeys(CpuMeter.LOAD_GENERATOR);
        double cpuSeconds = use.percentOfCore().get(CpuMeter.LOAD_GENERATOR) / 100 * use.seconds();
        assertThat(cpuSeconds).as("CPU seconds the meter saw").isGreaterThanOrEqualTo(0.18);
    }

    @Test
    void thisProcessHasAResidentSet() {
        long[] kib = StackProcesses.residentKiB(ProcessHandle.current().pid()).orElseThrow();

        assertThat(kib[0]).isPositive();
        assertThat(kib[1]).isGreaterThanOrEqualTo(kib[0]);
        assertThat(StackProcesses.commandLine(ProcessHandle.current().pid())).get().asString().contains("java");
    }

    @Test
    void describesHowFarTheReadModelIsFromTheExpectedStock() {
        Map<String, Integer> expected = Map.of("a", 10, "b", 20, "c", 30);
        Map<String, Integer> seen = Map.of("a", 10, "b", 25);

        assertThat(ReadModel.differences(expected, seen)).containsOnlyKeys("b", "c");
        assertThat(ReadModel.describe(expected, seen)).contains("2 of 3 products differ", "1 not in the read model",
                "above expected by 5");
    }
}
