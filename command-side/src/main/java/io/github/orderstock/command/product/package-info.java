/** The Product aggregate: the consistency boundary for stock, its commands and its domain failures. */
package io.github.orderstock.command.product;
