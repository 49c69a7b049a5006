package io.github.orderstock.support.mongo;

import java.util.ArrayList;
import java.util.List;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import org.bson.Document;

/** The idempotent insert both services' writes use: what exists already stays as it is. */
public final class Inserts {

    private Inserts() {
    }

    /**
     * Inserts each document unless one with its {@code _id} exists, and answers the indexes (in {@code documents})
     * of those that existed. An unordered insert goes on past the duplicates, which is cheaper than an upsert per
     * document; any other write error is thrown.
     */
    public static List<Integer> insertNew(MongoCollection<Document> collection, List<Document> documents) {
        List<Integer> existed = new ArrayList<>();
        try {
            collection.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                existed.add(error.getIndex());
            }
        }
        return existed;
    }
}
