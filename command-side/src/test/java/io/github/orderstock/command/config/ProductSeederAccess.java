package io.github.orderstock.command.config;

import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.TestComponent;

/** Lets a test run the package-private seeder a second time, as a restart would. */
@TestComponent
public class ProductSeederAccess {

    private final ProductSeeder seeder;

    ProductSeederAccess(ProductSeeder seeder) {
        this.seeder = seeder;
    }

    public void runAgain() {
        seeder.run(new DefaultApplicationArguments());
    }
}
