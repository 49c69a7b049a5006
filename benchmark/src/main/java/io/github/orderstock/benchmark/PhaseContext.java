package io.github.orderstock.benchmark;

import java.io.PrintStream;

import io.github.orderstock.benchmark.report.Report;
import io.github.orderstock.benchmark.stack.CpuMeter;
import io.github.orderstock.testsupport.ShopClient;

/**
 * What every phase of one run is given: the client to the stack, the prefix that keeps this run's products and order
 * ids apart from earlier runs', the CPU meter, the report and the console.
 */
public record PhaseContext(ShopClient client, String runPrefix, CpuMeter cpu, Report report, PrintStream out) {
}
