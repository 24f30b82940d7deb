package dev.egret.synth;

/**
 * Writes DNS messages (RFC 1035 4.1) into a caller's buffer, compressing names (RFC 1035 4.1.4)
 * against every name already in the message. Reuses its tables; allocates nothing per message.
 */
final class DnsWriter {
  static final int TYPE_A = 1;
  static final int TYPE_CNAME = 5;
  static final int TYPE_AAAA = 28;
  private static final int CLASS_IN = 1;
  private static final int RCODE_NXDOMAIN = 3;

  /** Offsets (from the message start) of every label written in full, each a possible target. */
  private final int[] labels = new int[256];

  private int labelCount;
  private byte[] b;
  private int base;
  private int pos;

  /** A recursive query (RD set) for {@code qname}; returns the message length. */
  int query(byte[] buf, int off, int id, byte[] qname, int qtype) {
    begin(buf, off);
    header(id, 0x0100, 1, 0);
    question(qname, qtype);
    return pos - base;
  }

  /**
   * The answer to a query for {@code s}: its CNAME chain, then its A or AAAA records (none when it
   * has none of that type: a NODATA answer); NXDOMAIN for a name that does not exist.
   */
  int response(byte[] buf, int off, int id, Service s, int qtype, int ttl) {
    begin(buf, off);
    if (s.kind == Service.NXDOMAIN) {
      header(id, 0x8180 | RCODE_NXDOMAIN, 1, 0);
      question(s.dnsName, qtype);
      return pos - base;
    }
    int addrs = qtype == TYPE_A ? s.v4.length : s.v6.length / 2;
    // QR, RD, RA set (RFC 1035 4.1.1).
    header(id, 0x8180, 1, s.cnames.length + addrs);
    int owner = pos - base;
    question(s.dnsName, qtype);
    for (byte[] cname : s.cnames) {
      pointer(owner);
      u16(TYPE_CNAME);
      u16(CLASS_IN);
      u32(ttl);
      int rdlen = pos;
      u16(0);
      owner = pos - base;
      name(cname);
      patch16(rdlen, pos - rdlen - 2);
    }
    for (int i = 0; i < addrs; i++) {
      pointer(owner);
      u16(qtype);
      u16(CLASS_IN);
      u32(ttl);
      if (qtype == TYPE_A) {
        u16(4);
        u32(s.v4[i]);
      } else {
        u16(16);
        u32((int) (s.v6[2 * i] >>> 32));
        u32((int) s.v6[2 * i]);
        u32((int) (s.v6[2 * i + 1] >>> 32));
        u32((int) s.v6[2 * i + 1]);
      }
    }
    return pos - base;
  }

  private void begin(byte[] buf, int off) {
    b = buf;
    base = off;
    pos = off;
    labelCount = 0;
  }

  private void header(int id, int flags, int qd, int an) {
    u16(id);
    u16(flags);
    u16(qd);
    u16(an);
    u16(0);
    u16(0);
  }

  private void question(byte[] qname, int qtype) {
    name(qname);
    u16(qtype);
    u16(CLASS_IN);
  }

  /** Writes a wire-form name, ending in a pointer at the longest suffix already present. */
  private void name(byte[] wire) {
    // Only names already complete may be targets: this one's tail is not written yet.
    int known = labelCount;
    for (int i = 0; wire[i] != 0; i += (wire[i] & 0xff) + 1) {
      int target = find(wire, i, known);
      if (target >= 0) {
        pointer(target);
        return;
      }
      if (labelCount < labels.length && pos - base < 0x3fff) {
        labels[labelCount++] = pos - base;
      }
      int len = (wire[i] & 0xff) + 1;
      System.arraycopy(wire, i, b, pos, len);
      pos += len;
    }
    b[pos++] = 0;
  }

  /** The message offset of a name equal to {@code wire} from {@code from} on, or -1. */
  private int find(byte[] wire, int from, int known) {
    for (int k = 0; k < known; k++) {
      if (sameSuffix(wire, from, labels[k])) {
        return labels[k];
      }
    }
    return -1;
  }

  private boolean sameSuffix(byte[] wire, int i, int msgOff) {
    int m = base + msgOff;
    while (true) {
      int len = b[m] & 0xff;
      if ((len & 0xc0) == 0xc0) {
        m = base + (((len & 0x3f) << 8) | (b[m + 1] & 0xff));
        continue;
      }
      if (len != (wire[i] & 0xff)) {
        return false;
      }
      if (len == 0) {
        return true;
      }
      for (int j = 1; j <= len; j++) {
        if (b[m + j] != wire[i + j]) {
          return false;
        }
      }
      m += len + 1;
      i += len + 1;
    }
  }

  private void pointer(int msgOff) {
    u16(0xc000 | msgOff);
  }

  private void u16(int v) {
    b[pos++] = (byte) (v >>> 8);
    b[pos++] = (byte) v;
  }

  private void u32(int v) {
    u16(v >>> 16);
    u16(v);
  }

  private void patch16(int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }
}
