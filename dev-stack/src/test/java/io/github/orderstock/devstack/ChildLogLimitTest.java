package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;

/** The log configuration of Kafka and the stand-in keeps a storm of one error from filling the disk. */
class ChildLogLimitTest {

    @Test
    void aStormOfErrorsIsCutToABurstButFatalLinesAlwaysPass() {
        var captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (LoggerContext context = Configurator.initialize("child-log-limit",
                getClass().getClassLoader(), "classpath:child-log4j2.properties")) {
            Logger log = context.getLogger("kafka.log.LogManager");
            for (int i = 0; i < 20_000; i++) {
                log.error("Error while writing to checkpoint file /data/kafka/{}", i);
            }
            log.fatal("Shutdown broker because all log dirs in /data/kafka have failed");
        } finally {
            System.setOut(stdout);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines.length).as("lines written for 20,000 errors and one fatal line").isBetween(5_000, 5_500);
        assertThat(lines[lines.length - 1]).contains("FATAL Shutdown broker because all log dirs");
    }
}
