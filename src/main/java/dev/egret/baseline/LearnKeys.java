package dev.egret.baseline;

/**
 * Keys of the learner's tables. They are plain classes, not records: a record's equals and hashCode
 * go through {@code ObjectMethods} method handles, which the launcher's shallow inlining leaves as
 * calls (on the bench capture, name look-ups took half of learning's CPU). Each table has one
 * mutable probe key for look-ups; a copy is stored only when an entry is added, so a hit allocates
 * nothing.
 */
final class LearnKeys {
  private LearnKeys() {}

  /**
   * What the flow and name keys share: a host, one other address, and a hash computed once per
   * {@code set}. Subclasses add their fields, feed them to the hash and compare them in equals.
   */
  abstract static class PairKey {
    long hHi;
    long hLo;
    long dHi;
    long dLo;
    int hash;

    final void setPair(long hHi, long hLo, long dHi, long dLo, long rest) {
      this.hHi = hHi;
      this.hLo = hLo;
      this.dHi = dHi;
      this.dLo = dLo;
      long h = mix(mix(mix(hHi, hLo), mix(dHi, dLo)), rest);
      this.hash = (int) (h ^ (h >>> 32));
    }

    final boolean samePair(PairKey k) {
      return k.hLo == hLo && k.dLo == dLo && k.hHi == hHi && k.dHi == dHi;
    }

    @Override
    public final int hashCode() {
      return hash;
    }
  }

  /** An entry's key: host, destination, protocol, port, user. */
  static final class Key extends PairKey {
    int proto;
    int port;

    /** The sending user from an audit log, -1 when unknown. */
    int uid;

    Key set(long hHi, long hLo, long dHi, long dLo, int proto, int port, int uid) {
      this.proto = proto;
      this.port = port;
      this.uid = uid;
      setPair(hHi, hLo, dHi, dLo, ((long) uid << 24) ^ ((long) proto << 16) | port);
      return this;
    }

    Key copy() {
      return new Key().set(hHi, hLo, dHi, dLo, proto, port, uid);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.port == port
          && k.proto == proto
          && k.uid == uid
          && samePair(k);
    }
  }

  /** A name's key: host, the address the name stood for, the name, where it was seen. */
  static final class NameKey extends PairKey {
    String name;
    String source;

    NameKey set(long hHi, long hLo, long aHi, long aLo, String name, String source) {
      this.name = name;
      this.source = source;
      setPair(hHi, hLo, aHi, aLo, name.hashCode() * 31L + source.hashCode());
      return this;
    }

    NameKey copy() {
      return new NameKey().set(hHi, hLo, dHi, dLo, name, source);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NameKey k
          && samePair(k)
          && k.source.equals(source)
          && k.name.equals(name);
    }
  }

  static final class QueryKey {
    long hHi;
    long hLo;
    String name;
    int hash;

    QueryKey set(long hHi, long hLo, String name) {
      this.hHi = hHi;
      this.hLo = hLo;
      this.name = name;
      long h = mix(mix(hHi, hLo), name.hashCode());
      this.hash = (int) (h ^ (h >>> 32));
      return this;
    }

    QueryKey copy() {
      return new QueryKey().set(hHi, hLo, name);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof QueryKey k && k.hLo == hLo && k.hHi == hHi && k.name.equals(name);
    }
  }

  /** Mixes two values into one hash (the multiplier of Java's SplittableRandom). */
  static long mix(long a, long b) {
    long h = (a ^ (b * 0x9E3779B97F4A7C15L)) * 0xBF58476D1CE4E5B9L;
    return h ^ (h >>> 31);
  }
}
