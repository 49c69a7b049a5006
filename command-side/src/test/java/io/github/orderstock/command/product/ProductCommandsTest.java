package io.github.orderstock.command.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.mockito.BDDMockito.BDDMyOngoingStubbing;

/** A command that lost a race with another instance is sent again, a bounded number of times; nothing else is. */
class ProductCommandsTest {

    private final CommandGateway gateway = mock(CommandGateway.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProductCommands commands = new ProductCommands(gateway, meters,
            new ConflictProperties(3, Duration.ofMillis(1)));
    private final RestockProductCommand restock = new RestockProductCommand("p", 5);

    @Test
    void sendsACommandThatCollidedWithAnotherInstanceAgain() {
        sending().willThrow(new ConcurrencyException("p/7 exists")).willReturn(12);

        Integer stock = commands.sendAndWait(restock, Duration.ofSeconds(1));

        assertThat(stock).isEqualTo(12);
        verifyRestockSent(2);
        assertThat(conflicts("retried")).isEqualTo(1);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheConflict() {
        sending().willThrow(new ConcurrencyException("p/7 exists"));

        assertThatThrownBy(() -> commands.sendAndWait(restock, Duration.ofSeconds(1)))
                .isInstanceOf(ConcurrencyException.class);
        verifyRestockSent(3);
        assertThat(conflicts("refused")).isEqualTo(1);
    }

    @Test
    void neverRepeatsTheCreationOfAProductThatExists() {
        sending().willThrow(new AggregateStreamCreationException("p exists"));

        assertThatThrownBy(() -> commands.sendAndWait(new AddProductCommand("p", "P", 1), Duration.ofSeconds(1)))
                .isInstanceOf(AggregateStreamCreationException.class);
        verify(gateway, times(1)).sendAndWait(any(), anyLong(), any(TimeUnit.class));
    }

    /** Any command the gateway is sent, with any timeout. */
    private BDDMyOngoingStubbing<Object> sending() {
        return given(gateway.sendAndWait(any(), anyLong(), any(TimeUnit.class)));
    }

    /** The restock went to the gateway this often, each time with the whole second to wait. */
    private void verifyRestockSent(int times) {
        verify(gateway, times(times)).sendAndWait(restock, 1000L, TimeUnit.MILLISECONDS);
    }

    private double conflicts(String outcome) {
        return meters.counter("orderstock.product.conflicts", "outcome", outcome).count();
    }
}
