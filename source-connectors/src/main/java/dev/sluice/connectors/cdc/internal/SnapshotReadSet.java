package dev.sluice.connectors.cdc.internal;

import org.apache.flink.annotation.Internal;

/**
 * The 64-bit hashes of the {@code __event_id}s of the snapshot reads a capture has emitted while
 * Debezium's initial snapshot is in progress.
 *
 * <p>Exists because Debezium snapshots are not resumable: restored mid-snapshot, Debezium reads
 * every row again. Snapshot event ids depend only on the row's content, so a row emitted before the
 * failure comes back with the same id, and this set (kept in the split state next to Debezium's
 * offset) lets the reader drop it. A primitive open-addressing set of {@code long}s (linear
 * probing, load at most 3/4): about 8 to 16 bytes per row, no boxing. Not thread-safe.
 */
@Internal
final class SnapshotReadSet {
    private static final int MIN_CAPACITY = 16;

    /** Slots; {@code 0} marks an empty one, so the hash {@code 0} is tracked apart. */
    private long[] slots;

    private int size;
    private boolean hasZero;

    SnapshotReadSet() {
        slots = new long[MIN_CAPACITY];
    }

    /** A set holding {@code hashes}. */
    static SnapshotReadSet of(long[] hashes) {
        SnapshotReadSet set = new SnapshotReadSet();
        int capacity = MIN_CAPACITY;
        while (capacity / 4 * 3 < hashes.length) {
            capacity <<= 1;
        }
        set.slots = new long[capacity];
        for (long h : hashes) {
            set.add(h);
        }
        return set;
    }

    /**
     * Adds {@code hash}.
     *
     * @return whether it was not there before
     */
    boolean add(long hash) {
        if (hash == 0) {
            if (hasZero) {
                return false;
            }
            hasZero = true;
            size++;
            return true;
        }
        int mask = slots.length - 1;
        int i = mix(hash) & mask;
        while (slots[i] != 0) {
            if (slots[i] == hash) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = hash;
        size++;
        if (size > slots.length / 4 * 3) {
            grow();
        }
        return true;
    }

    boolean contains(long hash) {
        if (hash == 0) {
            return hasZero;
        }
        int mask = slots.length - 1;
        int i = mix(hash) & mask;
        while (slots[i] != 0) {
            if (slots[i] == hash) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Forgets every hash and gives the memory back. */
    void clear() {
        slots = new long[MIN_CAPACITY];
        size = 0;
        hasZero = false;
    }

    /** The hashes, in no particular order (what a checkpoint stores). */
    long[] toArray() {
        long[] out = new long[size];
        int n = 0;
        if (hasZero) {
            out[n++] = 0L;
        }
        for (long h : slots) {
            if (h != 0) {
                out[n++] = h;
            }
        }
        return out;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length << 1];
        int mask = slots.length - 1;
        for (long h : old) {
            if (h != 0) {
                int i = mix(h) & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = h;
            }
        }
    }

    /** The hashes are already SHA-256 bits; folding the halves guards against a weak low end. */
    private static int mix(long hash) {
        return (int) (hash ^ (hash >>> 32));
    }

    @Override
    public String toString() {
        return "SnapshotReadSet{" + size + " hashes}";
    }
}
