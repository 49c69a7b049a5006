package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The services' JVM options, tried on a JVM that runs out of heap in a thread other than main. */
class ServiceOptionsTest {

    /** Allocates until a worker thread dies of OutOfMemoryError, while main waits for ever: a "deaf" service. */
    public static final class HeapHog {
        public static void main(String[] args) throws Exception {
            Thread hog = new Thread(() -> {
                List<long[]> kept = new ArrayList<>();
                while (true) {
                    kept.add(new long[1 << 20]);
                }
            }, "hog");
            hog.start();
            hog.join();
            Thread.currentThread().join();
        }
    }

    @Test
    void aServiceThatRunsOutOfHeapEnds() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Service.JVM_OPTIONS);
        command.addAll(List.of("-Xmx32m", "-cp", System.getProperty("java.class.path"), HeapHog.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM ended after its OutOfMemoryError").isTrue();
            assertThat(process.exitValue()).as("exit code of -XX:+ExitOnOutOfMemoryError").isEqualTo(3);
        } finally {
            process.destroyForcibly();
        }
    }
}
