package io.github.orderstock.query.stock;

/** Lets tests of other packages make a {@link StockLevels} without Spring. */
public final class StockLevelsAccess {

    private StockLevelsAccess() {
    }

    public static StockLevels of(ReadModel readModel) {
        return new StockLevels(readModel);
    }
}
