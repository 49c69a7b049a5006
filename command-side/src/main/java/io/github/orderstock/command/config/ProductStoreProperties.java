package io.github.orderstock.command.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code app.products.*}: how products are kept between commands.
 *
 * @param snapshotEvery events of a product between two snapshots, which keep loading a hot product short
 * @param cached        products kept loaded in memory (Axon's aggregate cache) instead of read for every order
 */
@ConfigurationProperties("app.products")
public record ProductStoreProperties(@DefaultValue("500") int snapshotEvery, @DefaultValue("10000") long cached) {
}
