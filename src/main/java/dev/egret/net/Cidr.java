package dev.egret.net;

/**
 * An address prefix. IPv4 prefixes are held IPv4-mapped: {@code 10.0.0.0/8} is stored with {@code
 * bits = 96 + 8}; {@link #toString} writes them back in IPv4 form.
 *
 * @param hi network address, high 64 bits (host bits zero)
 * @param lo network address, low 64 bits (host bits zero)
 * @param bits prefix length in the 128-bit space
 */
public record Cidr(long hi, long lo, int bits) implements Comparable<Cidr> {

  public Cidr {
    if (bits < 0 || bits > 128) {
      throw new IllegalArgumentException("prefix length out of range: " + bits);
    }
    if ((hi & ~maskHi(bits)) != 0 || (lo & ~maskLo(bits)) != 0) {
      throw new IllegalArgumentException(
          "host bits set in " + Ip.toString(hi, lo) + "/" + bits + " (expected a network address)");
    }
  }

  /** Parses {@code 10.0.0.0/8}, {@code fc00::/7} or a single address (a /32 or /128). */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    long[] a = IpAddress.parseBits(addr);
    if (a == null) {
      throw new IllegalArgumentException("not a CIDR prefix: \"" + text + "\"");
    }
    boolean v4 = Ip.isV4(a[0], a[1]) && addr.indexOf(':') < 0;
    int max = v4 ? 32 : 128;
    int len = max;
    if (slash >= 0) {
      try {
        len = Integer.parseInt(t.substring(slash + 1));
      } catch (NumberFormatException e) {
        len = -1;
      }
      if (len < 0 || len > max) {
        throw new IllegalArgumentException(
            "bad prefix length in \"" + text + "\" (expected 0-" + max + ")");
      }
    }
    int bits = v4 ? 96 + len : len;
    long hi = a[0] & maskHi(bits);
    long lo = a[1] & maskLo(bits);
    if (hi != a[0] || lo != a[1]) {
      throw new IllegalArgumentException(
          "host bits set in \"" + text + "\" (did you mean " + new Cidr(hi, lo, bits) + "?)");
    }
    return new Cidr(hi, lo, bits);
  }

  /** The prefix of length {@code bits} that holds the address. */
  public static Cidr covering(long hi, long lo, int bits) {
    return new Cidr(hi & maskHi(bits), lo & maskLo(bits), bits);
  }

  public static Cidr host(IpAddress a) {
    return new Cidr(a.hi(), a.lo(), 128);
  }

  public boolean isV4() {
    return bits >= 96 && Ip.isV4(hi, lo);
  }

  /** Prefix length as written: 0-32 for IPv4, 0-128 for IPv6. */
  public int prefixLength() {
    return isV4() ? bits - 96 : bits;
  }

  public boolean contains(long aHi, long aLo) {
    return (aHi & maskHi(bits)) == hi && (aLo & maskLo(bits)) == lo;
  }

  public boolean contains(IpAddress a) {
    return contains(a.hi(), a.lo());
  }

  public boolean contains(Cidr o) {
    return o.bits >= bits && contains(o.hi, o.lo);
  }

  /** Number of addresses, saturated at Long.MAX_VALUE. */
  public long size() {
    int hostBits = 128 - bits;
    return hostBits >= 63 ? Long.MAX_VALUE : 1L << hostBits;
  }

  @Override
  public int compareTo(Cidr o) {
    int c = Long.compareUnsigned(hi, o.hi);
    if (c == 0) {
      c = Long.compareUnsigned(lo, o.lo);
    }
    return c != 0 ? c : Integer.compare(bits, o.bits);
  }

  @Override
  public String toString() {
    return Ip.toString(hi, lo) + "/" + prefixLength();
  }

  static long maskHi(int bits) {
    return bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
  }

  static long maskLo(int bits) {
    return bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
  }
}
