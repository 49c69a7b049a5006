package io.github.orderstock.devstack.mongo;

import java.nio.ByteBuffer;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/** Keys of a collection's documents map, which are also the positions its indexes point to: normalized ids. */
final class PositionType extends BasicDataType<Object> {

    static final PositionType INSTANCE = new PositionType();

    private PositionType() {
    }

    @Override
    public int getMemory(Object position) {
        return KeyCodec.memory(position);
    }

    @Override
    public void write(WriteBuffer buffer, Object position) {
        KeyCodec.write(buffer, position);
    }

    @Override
    public Object read(ByteBuffer buffer) {
        return KeyCodec.read(buffer);
    }

    @Override
    public int compare(Object a, Object b) {
        return KeyCodec.compare(a, b);
    }

    @Override
    public Object[] createStorage(int size) {
        return new Object[size];
    }
}
