/** The figures of a run, the targets they are held against, the table printed and the JSON written. */
package io.github.orderstock.benchmark.report;
