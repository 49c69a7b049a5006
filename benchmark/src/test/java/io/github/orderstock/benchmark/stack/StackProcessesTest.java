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
    void readsResidentMemoryAndItsHighWaterMark() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  412368 kB\nVmRSS:\t  400000 kB\nThreads:\t50\n";

        assertThat(StackProcesses.parseStatus(status)).containsExactly(400_000, 412_368);
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
