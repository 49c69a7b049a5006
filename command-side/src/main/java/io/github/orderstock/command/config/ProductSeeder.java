package io.github.orderstock.command.config;

import java.util.concurrent.TimeUnit;

import io.github.orderstock.command.product.AddProductCommand;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The original app's product "1" with stock 10, added through a command like any other product so a replay rebuilds
 * it. The event store refuses a second creation of the same product, so it is added once, ever.
 */
@Component
@ConditionalOnProperty(name = "app.seed.enabled", havingValue = "true", matchIfMissing = true)
class ProductSeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ProductSeeder.class);

    private final CommandGateway commands;

    ProductSeeder(CommandGateway commands) {
        this.commands = commands;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            commands.sendAndWait(new AddProductCommand("1", "Product 1", 10), 30, TimeUnit.SECONDS);
            log.info("Seeded product '1' with stock 10");
        } catch (AggregateStreamCreationException e) {
            log.info("Product '1' exists already; not seeding it again");
        }
    }
}
