package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Documents as stored: BSON, written and read by mongo-java-server's own wire codec, so every type round-trips. */
final class DocumentCodec {

    private DocumentCodec() {
    }

    private static final int KEPT_BUFFER_BYTES = 64 * 1024;

    private static final ThreadLocal<ByteBuf> BUFFERS = ThreadLocal.withInitial(() -> Unpooled.buffer(1024));

    static byte[] encode(Document document) {
        ByteBuf buffer = BUFFERS.get();
        buffer.clear();
        try {
            BsonEncoder.encodeDocument(document, buffer);
            byte[] bson = new byte[buffer.writerIndex()];
            buffer.getBytes(0, bson);
            return bson;
        } catch (RuntimeException e) {
            throw new MongoServerException("Failed to encode document", e);
        } finally {
            if (buffer.capacity() > KEPT_BUFFER_BYTES) {
                BUFFERS.remove();
            }
        }
    }

    static Document decode(byte[] bson) {
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bson));
    }
}
