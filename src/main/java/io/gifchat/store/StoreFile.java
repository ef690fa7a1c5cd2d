package io.gifchat.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map.Entry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's H2 file: mongo-java-server's H2 backend with its maps opened in the {@link BsonTypes}
 * format, and tuned to stay small under churn (see {@link #open}). Public for the benchmarks, which measure the
 * store alone with the app's own setup.
 *
 * <p>Map names are the H2 backend's own ({@code databases.<db>.<collection>} for documents,
 * {@code <db>.<collection>._index_<name>} for unique indexes, {@code meta.<db>.<collection>} for its counters), so
 * a file in the old format is recognised by its maps and converted once when opened: the file is copied aside, the
 * document and index maps are rewritten in the new format, and the copy is removed once that is committed. If the
 * conversion is interrupted, the next start restores the copy and converts again.
 */
public final class StoreFile extends H2Backend {

    private static final Logger log = LoggerFactory.getLogger(StoreFile.class);

    /** Absent in a file of the old format; {@code version} = {@link #FORMAT} once converted or created new. */
    private static final String FORMAT_MAP = "store-format";
    private static final int FORMAT = 1;
    private static final String DOCUMENTS = "databases.";
    private static final String META = "meta.";
    private static final String INDEX = "._index_";

    /** An idle file less full of live data than this is shrunk. */
    private static final int FILL_RATE = 60;
    /**
     * Live data one housekeeping call may rewrite, at most and at least. Rewriting costs CPU (every page decoded and
     * encoded again) and holds the store's lock, so it is paced by time, not by how much there is to do: the budget
     * halves when a rewrite took longer than {@link #REWRITE_NANOS} and doubles when it took less than half of it,
     * so compaction takes about a tenth of a core at most, whatever the load (figures in the README).
     */
    private static final int MAX_REWRITE_BYTES = 8 << 20;
    private static final int MIN_REWRITE_BYTES = 256 << 10;
    private static final long REWRITE_NANOS = 100_000_000L;
    private static final long SHRINK_ABOVE_BYTES = 1 << 20;
    private static final int SHRINK_MILLIS = 200;
    private static final int CLOSE_COMPACTION_MILLIS = 2_000;

    private final AtomicLong commits = new AtomicLong();
    private int rewriteBudget = MIN_REWRITE_BYTES; // touched by keep() only, on the commit thread

    private StoreFile(MVStore store) {
        super(store);
    }

    /**
     * Opens (or creates) the file, with H2's own background writer off: every commit is ours and is synced
     * ({@link #commit()}), so space that a commit frees can be reused at once (retention 0) without a power cut being
     * able to corrupt the last synced state; and the file is kept small by {@link #keep()}, not by H2's housekeeping,
     * which compacts only when the file has been idle for a while and so never under sustained load.
     */
    public static StoreFile open(Path file) {
        Path aside = file.resolveSibling(file.getFileName() + ".before-bson");
        try {
            if (Files.exists(aside)) {
                log.warn("Restoring {} from {}: its conversion to the BSON format was interrupted", file, aside);
                Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING);
            }
            MVStore store = openStore(file);
            if (needsConversion(store)) {
                store.close();
                Files.copy(file, aside, StandardCopyOption.REPLACE_EXISTING);
                store = openStore(file);
                convert(store);
                Files.delete(aside);
            }
            return new StoreFile(store);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the embedded store's file " + file, e);
        }
    }

    private static MVStore openStore(Path file) {
        MVStore store = new MVStore.Builder().fileName(file.toString())
                .autoCommitDisabled() // no background writer: nothing commits without a sync
                .autoCommitBufferSize(0) // nor does a writer commit in passing when its unsaved pages pile up
                .open();
        store.setRetentionTime(0);
        return store;
    }

    /** Makes everything written so far durable: one chunk written, then synced to the disk. Blocking I/O. */
    @Override
    public void commit() {
        commitAndSync();
        commits.incrementAndGet();
    }

    private void commitAndSync() {
        MVStore store = getMvStore();
        store.commit();
        store.sync();
    }

    /**
     * Housekeeping, called about once a second from the store's commit thread: commits what the app wrote outside
     * a group commit (rooms, sessions), rewrites the live pages of chunks that are mostly dead (every commit
     * rewrites the B-tree pages it touched, so most of a chunk soon is), frees the chunks nothing uses any more,
     * and when no group commit came since the last call, moves chunks to the start of the file and truncates it.
     */
    public void keep() {
        MVStore store = getMvStore();
        if (store.isClosed()) {
            return;
        }
        boolean idle = commits.getAndSet(0) == 0; // no group commit since the last call: nobody is chatting
        if (store.hasUnsavedChanges()) {
            commitAndSync();
        }
        FileStore<?> file = store.getFileStore();
        long live = file.size() * file.getFillRate() / 100 * file.getChunksFillRate() / 100;
        long excess = file.size() - 2 * live; // aim at twice the live data, to stay within three times it
        if (excess > 0) {
            long start = System.nanoTime();
            if (store.compact(100, (int) Math.min(rewriteBudget, Math.max(excess / 4, MIN_REWRITE_BYTES)))) {
                commitAndSync();
            }
            long took = System.nanoTime() - start;
            rewriteBudget = took > REWRITE_NANOS ? Math.max(MIN_REWRITE_BYTES, rewriteBudget / 2)
                    : took < REWRITE_NANOS / 2 ? Math.min(MAX_REWRITE_BYTES, rewriteBudget * 2) : rewriteBudget;
        }
        file.dropUnusedChunks();
        // Under load new chunks go into the holes dead ones left (the file stays a few MB, see the README's soak);
        // once nobody writes, move the live chunks down and truncate. Not under load: writers wait meanwhile.
        if (idle && file.getFillRate() < FILL_RATE && file.size() > SHRINK_ABOVE_BYTES) {
            store.compactFile(SHRINK_MILLIS);
            store.sync();
        }
    }

    private static boolean needsConversion(MVStore store) {
        if (store.hasMap(FORMAT_MAP)) {
            return false;
        }
        boolean old = store.getMapNames().stream().anyMatch(StoreFile::isRewrittenByConversion);
        if (!old) {
            store.openMap(FORMAT_MAP).put("version", FORMAT); // a new file
            store.commit();
        }
        return old;
    }

    private static boolean isRewrittenByConversion(String mapName) {
        return mapName.startsWith(DOCUMENTS) || mapName.contains(INDEX);
    }

    private static void convert(MVStore store) {
        List<String> names = store.getMapNames().stream().filter(StoreFile::isRewrittenByConversion).collect(Collectors.toList());
        log.info("Converting the embedded store's file to the BSON format ({} maps)", names.size());
        for (String name : names) {
            MVMap<Object, Object> old = store.openMap(name); // H2's default types, as the old backend wrote it
            MVMap<Object, Object> converted = name.startsWith(DOCUMENTS)
                    ? cast(store.openMap(name + ".converting", documentMap()))
                    : cast(store.openMap(name + ".converting", indexMap()));
            converted.clear();
            for (Entry<Object, Object> e : old.entrySet()) {
                converted.put(e.getKey(), e.getValue());
            }
            store.removeMap(old);
            store.renameMap(converted, name);
        }
        store.openMap(FORMAT_MAP).put("version", FORMAT);
        store.commit();
        store.sync();
        log.info("Converted the embedded store's file to the BSON format");
    }

    @SuppressWarnings("unchecked")
    private static MVMap<Object, Object> cast(MVMap<?, ?> map) {
        return (MVMap<Object, Object>) map;
    }

    private static MVMap.Builder<Object, Document> documentMap() {
        return new MVMap.Builder<Object, Document>().keyType(BsonTypes.VALUES).valueType(BsonTypes.DOCUMENTS);
    }

    private static MVMap.Builder<KeyValue, Object> indexMap() {
        return new MVMap.Builder<KeyValue, Object>().keyType(BsonTypes.KEYS).valueType(BsonTypes.VALUES);
    }

    /** Compacts the file before closing it (for up to {@link #CLOSE_COMPACTION_MILLIS}), so a restart starts small. */
    @Override
    public void close() {
        try {
            getMvStore().compactFile(CLOSE_COMPACTION_MILLIS);
        } catch (RuntimeException e) { // a smaller file is nice to have; closing cleanly is not optional
            log.warn("Embedded store not compacted on close: {}", e.toString());
        }
        super.close();
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName, getMvStore(), getCursorRegistry());
    }

    /** The H2 backend's database with its maps in the BSON format; what it does otherwise is the same. */
    private static final class Database extends AbstractSynchronizedMongoDatabase<Object> {

        private final MVStore store;

        Database(String name, MVStore store, CursorRegistry cursors) {
            super(name, cursors);
            this.store = store;
            initializeNamespacesAndIndexes(); // after the field: it opens collections
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String fullName = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> documents = store.openMap(DOCUMENTS + fullName, documentMap());
            MVMap<String, Object> meta = store.openMap(META + fullName);
            return new H2Collection(this, collectionName, options, documents, meta, cursorRegistry);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            return new UniqueIndex(store.openMap(indexMapName(collectionName, indexName), indexMap()), indexName,
                    keys, sparse);
        }

        private String indexMapName(String collectionName, String indexName) {
            return getFullCollectionNamespace(collectionName) + INDEX + indexName;
        }

        @Override
        protected void dropIndex(MongoCollection<Object> collection, String indexName) {
            super.dropIndex(collection, indexName);
            store.removeMap(indexMapName(collection.getCollectionName(), indexName));
        }

        @Override
        public void drop(Oplog oplog) {
            super.drop(oplog);
            for (String name : List.copyOf(store.getMapNames())) {
                if (name.startsWith(getDatabaseName() + ".") || name.startsWith(DOCUMENTS + getDatabaseName() + ".")
                        || name.startsWith(META + getDatabaseName() + ".")) {
                    store.removeMap(name);
                }
            }
        }

        @Override
        public void dropCollection(String collectionName, Oplog oplog) {
            super.dropCollection(collectionName, oplog);
            String fullName = getFullCollectionNamespace(collectionName);
            store.removeMap(DOCUMENTS + fullName);
            store.removeMap(META + fullName);
        }

        @Override
        public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
            super.moveCollection(oldDatabase, collection, newCollectionName);
            String newFullName = getFullCollectionNamespace(newCollectionName);
            store.renameMap(store.openMap(DOCUMENTS + collection.getFullName(), documentMap()), DOCUMENTS + newFullName);
            store.renameMap(store.openMap(META + collection.getFullName()), META + newFullName);
        }

        @Override
        protected long getStorageSize() {
            return store.getFileStore() == null ? 0 : store.getFileStore().size();
        }

        @Override
        protected long getFileSize() {
            return getStorageSize();
        }
    }

    /** A unique index on an H2 map, as the H2 backend's own (whose constructor is not public). */
    private static final class UniqueIndex extends AbstractUniqueIndex<Object> {

        private final MVMap<KeyValue, Object> map;

        UniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.map = map;
        }

        @Override
        protected Object removeDocument(KeyValue key) {
            return map.remove(key);
        }

        @Override
        protected boolean putKeyPosition(KeyValue key, Object position) {
            return map.putIfAbsent(key, Missing.ofNullable(position)) == null;
        }

        @Override
        protected Iterable<Entry<KeyValue, Object>> getIterable() {
            return map.entrySet();
        }

        @Override
        protected Object getPosition(KeyValue key) {
            return map.get(key);
        }

        @Override
        public long getCount() {
            return map.sizeAsLong();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public long getDataSize() {
            return getCount();
        }
    }
}
