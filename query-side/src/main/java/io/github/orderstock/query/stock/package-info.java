/** The stock read model: the projection that keeps {@code products} and {@code orders}, and its queries. */
package io.github.orderstock.query.stock;
