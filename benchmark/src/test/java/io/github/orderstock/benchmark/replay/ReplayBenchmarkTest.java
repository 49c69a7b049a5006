package io.github.orderstock.benchmark.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ReplayBenchmarkTest {

    @Test
    void theSyntheticOrdersAddUpToTheEventsAsked() {
        int[] orders = ReplayBenchmark.ordersPerProduct(1_000_000, 1_000);

        assertThat(IntStream.of(orders).sum() + 1_000).isEqualTo(1_000_000);
        assertThat(IntStream.of(orders).max().getAsInt() - IntStream.of(orders).min().getAsInt()).isLessThanOrEqualTo(1);
        assertThat(IntStream.of(ReplayBenchmark.ordersPerProduct(20_001, 1_000)).sum()).isEqualTo(19_001);
        assertThat(ReplayBenchmark.productsFor(1_000_000)).isEqualTo(1_000);
        assertThat(ReplayBenchmark.productsFor(1)).isEqualTo(1);
        assertThat(ReplayBenchmark.ordersPerProduct(1, 1)).containsExactly(0);
    }
}
