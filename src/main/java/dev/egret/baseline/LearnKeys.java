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

  static final class Key {
    long hHi;
    long hLo;
    long dHi;
    long dLo;
    int proto;
    int port;
    int hash;

    Key set(long hHi, long hLo, long dHi, long dLo, int proto, int port) {
      this.hHi = hHi;
      this.hLo = hLo;
      this.dHi = dHi;
      this.dLo = dLo;
      this.proto = proto;
      this.port = port;
      long h = mix(mix(mix(hHi, hLo), mix(dHi, dLo)), ((long) proto << 16) | port);
      this.hash = (int) (h ^ (h >>> 32));
      return this;
    }

    Key copy() {
      return new Key().set(hHi, hLo, dHi, dLo, proto, port);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.hLo == hLo
          && k.dLo == dLo
          && k.port == port
          && k.proto == proto
          && k.hHi == hHi
          && k.dHi == dHi;
    }
  }

  static final class NameKey {
    long hHi;
    long hLo;
    long aHi;
    long aLo;
    String name;
    String source;
    int hash;

    NameKey set(long hHi, long hLo, long aHi, long aLo, String name, String source) {
      this.hHi = hHi;
      this.hLo = hLo;
      this.aHi = aHi;
      this.aLo = aLo;
      this.name = name;
      this.source = source;
      long h = mix(mix(mix(hHi, hLo), mix(aHi, aLo)), name.hashCode() * 31L + source.hashCode());
      this.hash = (int) (h ^ (h >>> 32));
      return this;
    }

    NameKey copy() {
      return new NameKey().set(hHi, hLo, aHi, aLo, name, source);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NameKey k
          && k.hLo == hLo
          && k.aLo == aLo
          && k.hHi == hHi
          && k.aHi == aHi
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
