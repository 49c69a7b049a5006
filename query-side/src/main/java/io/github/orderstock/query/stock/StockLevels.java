package io.github.orderstock.query.stock;

import static com.mongodb.client.model.Filters.in;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Reads of the live {@code products} collection for the live page: the products that just changed, by key, and a
 * bounded first page. Neither reads the collection in full.
 */
@Component
public class StockLevels {

    private final ReadModel readModel;

    StockLevels(ReadModel readModel) {
        this.readModel = readModel;
    }

    /** The products with these ids that exist, in no particular order. */
    public List<StockLevel> byIds(Collection<String> productIds) {
        if (productIds.isEmpty()) {
            return List.of();
        }
        return readModel.readLive((products, orders) -> products.find(in("_id", productIds)).map(StockLevels::level)
                .into(new ArrayList<>()), List::isEmpty);
    }

    /** The first {@code limit} products by id. */
    public List<StockLevel> first(int limit) {
        return readModel.readLive((products, orders) -> products.find().sort(Sorts.ascending("_id")).limit(limit)
                .map(StockLevels::level).into(new ArrayList<>()), List::isEmpty);
    }

    private static StockLevel level(Document product) {
        Number lastSequence = (Number) product.get("lastSequence");
        return new StockLevel(product.getString("productId"), product.getString("name"),
                product.getInteger("quantity"), lastSequence == null ? -1 : lastSequence.longValue());
    }
}
