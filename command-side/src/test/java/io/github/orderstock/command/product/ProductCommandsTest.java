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

/** A command that lost a race with another instance is sent again, a bounded number of times; nothing else is. */
class ProductCommandsTest {

    private final CommandGateway gateway = mock(CommandGateway.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ProductCommands commands = new ProductCommands(gateway, meters,
            new ConflictProperties(3, Duration.ofMillis(1)));
    private final RestockProductCommand restock = new RestockProductCommand("p", 5);

    @Test
    void sendsACommandThatCollidedWithAnotherInstanceAgain() {
        given(gateway.sendAndWait(any(), anyLong(), any(TimeUnit.class)))
                .willThrow(new ConcurrencyException("p/7 exists")).willReturn(12);

        Integer stock = commands.sendAndWait(restock, Duration.ofSeconds(1));

        assertThat(stock).isEqualTo(12);
        verify(gateway, times(2)).sendAndWait(restock, 1000L, TimeUnit.MILLISECONDS);
        assertThat(meters.counter("orderstock.product.conflicts", "outcome", "retried").count()).isEqualTo(1);
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheConflict() {
        given(gateway.sendAndWait(any(), anyLong(), any(TimeUnit.class)))
                .willThrow(new ConcurrencyException("p/7 exists"));

        assertThatThrownBy(() -> commands.sendAndWait(restock, Duration.ofSeconds(1)))
                .isInstanceOf(ConcurrencyException.class);
        verify(gateway, times(3)).sendAndWait(restock, 1000L, TimeUnit.MILLISECONDS);
        assertThat(meters.counter("orderstock.product.conflicts", "outcome", "refused").count()).isEqualTo(1);
    }

    @Test
    void neverRepeatsTheCreationOfAProductThatExists() {
        given(gateway.sendAndWait(any(), anyLong(), any(TimeUnit.class)))
                .willThrow(new AggregateStreamCreationException("p exists"));

        assertThatThrownBy(() -> commands.sendAndWait(new AddProductCommand("p", "P", 1), Duration.ofSeconds(1)))
                .isInstanceOf(AggregateStreamCreationException.class);
        verify(gateway, times(1)).sendAndWait(any(), anyLong(), any(TimeUnit.class));
    }
}
