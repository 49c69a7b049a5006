package io.github.orderstock.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options of {@code ./start}: the single node stays the default; {@code --cluster} derives the other ports. */
class StackOptionsTest {

    private static final String HOME = Path.of("..").toAbsolutePath().normalize().toString();

    private static StackOptions parse(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--home", HOME));
        all.addAll(List.of(args));
        return StackOptions.parse(all, Map.of());
    }

    @Test
    void theSingleNodeIsTheDefault() {
        StackOptions options = parse();
        assertThat(options.cluster()).isFalse();
        assertThat(options.kafkaPorts()).containsExactly(9092);
        assertThat(options.commandPorts()).containsExactly(3000);
        assertThat(options.queryPorts()).containsExactly(3001);
        assertThat(options.dataDir()).isEqualTo(Path.of(HOME, "data"));
        assertThat(options.portsByOption()).containsOnlyKeys("--kafka-port", "--kafka-controller-port",
                "--mongo-port", "--command-port", "--query-port");
    }

    @Test
    void aClusterHasThreeBrokersAndTwoInstancesOfEachSideTwoPortsApart() {
        StackOptions options = parse("--cluster");
        assertThat(options.cluster()).isTrue();
        assertThat(options.kafkaPorts()).containsExactly(9092, 9094, 9096);
        assertThat(options.kafkaControllerPorts()).containsExactly(9093, 9095, 9097);
        assertThat(options.commandPorts()).containsExactly(3000, 3002);
        assertThat(options.queryPorts()).containsExactly(3001, 3003);
        assertThat(options.portsByOption()).hasSize(11).containsEntry("--query-port+2", 3003);
        assertThat(options.dataDir()).isEqualTo(Path.of(HOME, "data", "cluster"));
    }

    @Test
    void theClusterFlagTakesAnOptionalValueAndTheEnvironment() {
        assertThat(parse("--cluster", "false").cluster()).isFalse();
        assertThat(parse("--cluster=true", "--mongo-port", "27018").cluster()).isTrue();
        assertThat(StackOptions.parse(List.of("--home", HOME), Map.of("STACK_CLUSTER", "true")).cluster()).isTrue();
        assertThatThrownBy(() -> parse("--cluster=yes")).isInstanceOf(StackException.class)
                .hasMessageContaining("--cluster must be true or false");
    }

    @Test
    void aDerivedPortThatClashesIsRefused() {
        // The second command side would listen on 3002, the query side's port.
        assertThatThrownBy(() -> parse("--cluster", "--query-port", "3002")).isInstanceOf(StackException.class)
                .hasMessageContaining("--command-port+2 and --query-port are both 3002");
        assertThat(parse("--query-port", "3002").commandPorts()).containsExactly(3000);
    }
}
