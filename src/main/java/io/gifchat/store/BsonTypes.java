package io.gifchat.store;

import java.nio.ByteBuffer;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * How the embedded file store writes documents, ids and index keys: as BSON, the format they arrived in.
 *
 * <p>Why not H2's default: it writes any object it does not know with Java serialization — the class descriptors of
 * {@code Document}, {@code LinkedHashMap}, {@code Date}, … with every value — and compares unknown keys (every
 * index key, a {@link KeyValue}) by serializing both sides on each comparison of a B-tree search. That was most of
 * the file store's CPU per insert and several times the bytes of each page written per commit.
 *
 * <p>Keys compare in MongoDB's order ({@link ValueComparator}, lists compared element by element), which is also
 * what makes {@code 1} and {@code 1L} the same unique key, as in MongoDB. Every value starts with a tag byte that
 * H2's own format never uses, so a page in the old format cannot be misread: it fails with a clear message
 * ({@link StoreFile} converts old files when it opens them).
 */
final class BsonTypes {

    /** First byte of each value this class writes; H2's ObjectDataType uses tags 0..119. */
    static final byte TAG = (byte) 0xBE;

    /** BSON has no "missing": a type byte BSON never uses as a value type (0x00 ends a document). */
    private static final byte MISSING = 0x00;

    private static final ValueComparator ORDER = ValueComparator.ascWithoutListHandling();

    /** Documents, the values of a collection's map. */
    static final BasicDataType<Document> DOCUMENTS = new Codec<>() {
        @Override
        void encode(Document document, ByteBuf out) {
            BsonEncoder.encodeDocument(document, out);
        }

        @Override
        Document decode(ByteBuf in) {
            return BsonDecoder.decodeBson(in);
        }

        @Override
        public Document[] createStorage(int size) {
            return new Document[size];
        }

        @Override
        public int compare(Document a, Document b) {
            return ORDER.compare(a, b); // values are never searched, but H2 compares them in a conditional replace
        }
    };

    /** One value: a document's id (the key of a collection's map), or a position (the value of an index map). */
    static final BasicDataType<Object> VALUES = new Codec<>() {
        @Override
        void encode(Object value, ByteBuf out) {
            encodeValue(value, out);
        }

        @Override
        Object decode(ByteBuf in) {
            return decodeValue(in);
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
        }

        @Override
        public int compare(Object a, Object b) {
            return ORDER.compare(a, b);
        }
    };

    /** The key of a unique index: the indexed fields' values, in index order. */
    static final BasicDataType<KeyValue> KEYS = new Codec<>() {
        @Override
        void encode(KeyValue key, ByteBuf out) {
            out.writeIntLE(key.size());
            for (Object value : key) {
                encodeValue(value, out);
            }
        }

        @Override
        KeyValue decode(ByteBuf in) {
            int size = in.readIntLE();
            Object[] values = new Object[size];
            for (int i = 0; i < size; i++) {
                values[i] = decodeValue(in);
            }
            return new KeyValue(values);
        }

        @Override
        public KeyValue[] createStorage(int size) {
            return new KeyValue[size];
        }

        @Override
        public int compare(KeyValue a, KeyValue b) {
            int n = Math.min(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                int c = ORDER.compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        }
    };

    private BsonTypes() {
    }

    private static void encodeValue(Object value, ByteBuf out) {
        if (value instanceof Missing) {
            out.writeByte(MISSING);
            return;
        }
        byte type = BsonEncoder.determineType(value);
        out.writeByte(type);
        BsonEncoder.encodeValue(type, value, out);
    }

    private static Object decodeValue(ByteBuf in) {
        byte type = in.readByte();
        return type == MISSING ? Missing.getInstance() : BsonDecoder.decodeValue(type, in);
    }

    /**
     * Writes {@code TAG, length (var int), bytes}. The length lets H2 skip nothing it need not and lets a value be
     * decoded from a slice, so a corrupt value cannot read into its neighbour.
     */
    private abstract static class Codec<T> extends BasicDataType<T> {

        abstract void encode(T value, ByteBuf out);

        abstract T decode(ByteBuf in);

        @Override
        public int getMemory(T value) {
            // H2 samples this to size its cache and its auto-commit; the encoded size is the honest answer.
            ByteBuf buf = Unpooled.buffer(128);
            encode(value, buf);
            return 24 + 2 * buf.readableBytes(); // decoded objects take about twice their encoding on the heap
        }

        @Override
        public void write(WriteBuffer buff, T value) {
            ByteBuf buf = Unpooled.buffer(128);
            encode(value, buf);
            int length = buf.readableBytes();
            buff.put(TAG).putVarInt(length).put(buf.array(), buf.arrayOffset() + buf.readerIndex(), length);
        }

        @Override
        public T read(ByteBuffer buff) {
            byte tag = buff.get();
            if (tag != TAG) {
                throw DataUtils.newMVStoreException(DataUtils.ERROR_FILE_CORRUPT,
                        "Not a value of the BSON store format (tag {0}): a file in the old format must be converted "
                                + "by opening it with StoreFile first", tag & 0xff);
            }
            int length = DataUtils.readVarInt(buff);
            ByteBuffer slice = buff.slice();
            slice.limit(length);
            buff.position(buff.position() + length);
            return decode(Unpooled.wrappedBuffer(slice));
        }
    }
}
