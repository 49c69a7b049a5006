package io.github.orderstock.devstack.mongo;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonJavaScript;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.LegacyUUID;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.BsonConstants;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;

/**
 * Index key values as the maps hold them. A value is first normalized the way mongo-java-server compares index keys
 * (every number that a double represents exactly becomes that double, so 1, 1L and 1.0 are one key, and -0.0 is 0.0),
 * then written as its BSON type byte and its value. Keys are ordered by MongoDB's type order, then by value.
 */
final class KeyCodec {

    private KeyCodec() {
    }

    /** Stands for a null or missing value in a map key, which cannot be null. */
    static final Object NULL = Missing.getInstance();

    static Object normalize(Object value) {
        if (Missing.isNullOrMissing(value)) {
            return NULL;
        }
        if (value instanceof Long l && l != (long) l.doubleValue()) {
            return l;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == 0.0 ? 0.0 : d;
        }
        if (value instanceof Map<?, ?> map) {
            var document = new Document();
            map.forEach((field, fieldValue) -> document.put((String) field, normalizeNested(fieldValue)));
            return document;
        }
        if (value instanceof Collection<?> values) {
            List<Object> list = new ArrayList<>(values.size());
            values.forEach(element -> list.add(normalizeNested(element)));
            return list;
        }
        return value;
    }

    /** Inside documents and arrays a null stays a null: that is how BSON writes it back. */
    private static Object normalizeNested(Object value) {
        Object normalized = normalize(value);
        return normalized == NULL ? null : normalized;
    }

    static int compare(Object a, Object b) {
        int rankA = rank(a);
        int rankB = rank(b);
        if (rankA != rankB) {
            return Integer.compare(rankA, rankB);
        }
        if (a instanceof String s) {
            return s.compareTo((String) b);
        }
        if (a instanceof Number x) {
            return compareNumbers(x, (Number) b);
        }
        if (a instanceof ObjectId id) {
            return id.compareTo((ObjectId) b);
        }
        if (rankA == RANK_NULL || a instanceof MinKey || a instanceof MaxKey) {
            return 0;
        }
        // Rare key types: any total order that agrees with equality will do.
        int types = Byte.compare(BsonEncoder.determineType(a), BsonEncoder.determineType(b));
        return types != 0 ? types : Arrays.compareUnsigned(bson(a), bson(b));
    }

    private static final int RANK_NULL = 1;

    /** MongoDB's comparison order of BSON types. */
    private static int rank(Object value) {
        if (value instanceof String) {
            return 3;
        } else if (value instanceof Number) {
            return 2;
        } else if (value instanceof ObjectId) {
            return 7;
        } else if (value == null || value instanceof Missing) {
            return RANK_NULL;
        } else if (value instanceof MinKey) {
            return 0;
        } else if (value instanceof Map) {
            return 4;
        } else if (value instanceof Collection) {
            return 5;
        } else if (value instanceof BinData || value instanceof UUID || value instanceof LegacyUUID) {
            return 6;
        } else if (value instanceof Boolean) {
            return 8;
        } else if (value instanceof Instant) {
            return 9;
        } else if (value instanceof BsonTimestamp) {
            return 10;
        } else if (value instanceof BsonRegularExpression) {
            return 11;
        } else if (value instanceof BsonJavaScript) {
            return 12;
        } else if (value instanceof MaxKey) {
            return 13;
        }
        throw new IllegalArgumentException("cannot index a " + value.getClass().getName());
    }

    private static int compareNumbers(Number a, Number b) {
        if (!(a instanceof Double || a instanceof Long) || !(b instanceof Double || b instanceof Long)) {
            return compareNumbers((Number) normalize(a), (Number) normalize(b));
        }
        if (a instanceof Double x && b instanceof Double y) {
            return Double.compare(x, y);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        // A long that no double represents against a double: never equal, compared exactly.
        double d = a instanceof Double x ? x : (Double) b;
        int longFirst;
        if (Double.isNaN(d) || d == Double.POSITIVE_INFINITY) {
            longFirst = -1;
        } else if (d == Double.NEGATIVE_INFINITY) {
            longFirst = 1;
        } else {
            long l = a instanceof Long x ? x : (Long) b;
            longFirst = new BigDecimal(l).compareTo(new BigDecimal(d));
        }
        return a instanceof Long ? longFirst : -longFirst;
    }

    static void write(WriteBuffer buffer, Object value) {
        if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            buffer.put(BsonConstants.TYPE_UTF8_STRING).putVarInt(utf8.length).put(utf8);
        } else if (value instanceof Double d) {
            buffer.put(BsonConstants.TYPE_DOUBLE).putDouble(d);
        } else if (value instanceof Long l) {
            buffer.put(BsonConstants.TYPE_INT64).putLong(l);
        } else if (value instanceof ObjectId id) {
            buffer.put(BsonConstants.TYPE_OBJECT_ID).put(id.toByteArray());
        } else if (value == null || value instanceof Missing) {
            buffer.put(BsonConstants.TYPE_NULL);
        } else {
            byte[] bson = bson(value);
            buffer.put(BsonEncoder.determineType(value)).putVarInt(bson.length).put(bson);
        }
    }

    /** Reads a value written by {@link #write}; a null comes back as {@link #NULL}. */
    static Object read(ByteBuffer buffer) {
        byte type = buffer.get();
        switch (type) {
            case BsonConstants.TYPE_UTF8_STRING:
                return new String(bytes(buffer, DataUtils.readVarInt(buffer)), StandardCharsets.UTF_8);
            case BsonConstants.TYPE_DOUBLE:
                return buffer.getDouble();
            case BsonConstants.TYPE_INT64:
                return buffer.getLong();
            case BsonConstants.TYPE_OBJECT_ID:
                return new ObjectId(bytes(buffer, BsonConstants.LENGTH_OBJECTID));
            case BsonConstants.TYPE_NULL:
                return NULL;
            default:
                byte[] bson = bytes(buffer, DataUtils.readVarInt(buffer));
                return BsonDecoder.decodeValue(type, Unpooled.wrappedBuffer(bson));
        }
    }

    /** A rough heap size, which the MVStore uses to split pages and to size its cache. */
    static int memory(Object value) {
        if (value instanceof String s) {
            return 48 + s.length();
        } else if (value instanceof Double || value instanceof Long || value instanceof Missing) {
            return 16;
        } else if (value instanceof ObjectId) {
            return 48;
        }
        return 64 + bson(value).length;
    }

    private static byte[] bytes(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] bson(Object value) {
        ByteBuf buffer = Unpooled.buffer();
        BsonEncoder.encodeValue(BsonEncoder.determineType(value), value, buffer);
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }
}
