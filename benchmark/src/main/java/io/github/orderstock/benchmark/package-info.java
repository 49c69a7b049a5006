/** {@code ./bench}: the options, and the run that starts or targets the stack and measures it phase by phase. */
package io.github.orderstock.benchmark;
