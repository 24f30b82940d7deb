package dev.egret.decode;

import dev.egret.net.Ip;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads DNS response messages (RFC 1035 4.1, AAAA from RFC 3596) for the names behind addresses.
 * The bytes are attacker-controlled: every read is length-checked, no input makes these methods
 * throw, and the work is bounded by the message length (compression pointers must point strictly
 * backwards, see {@link #readName}).
 *
 * <p>What is reported, through {@link DnsSink}:
 *
 * <ul>
 *   <li>every question, with the response code, so that names queried but never answered (NXDOMAIN,
 *       SERVFAIL, empty answers) are kept;
 *   <li>every A and AAAA record of the answer section, under the name the host asked for: the owner
 *       is followed back through the CNAME records of the answer section to a question name (for
 *       {@code www.example.com CNAME edge.cdn.net} and {@code edge.cdn.net A 1.2.3.4}, {@code
 *       1.2.3.4} is reported as {@code www.example.com}). CNAME targets themselves are not
 *       reported: a host connects to the name it asked for. An address whose owner cannot be
 *       reached from a question (an mDNS announcement, an unrelated record) is reported under its
 *       own owner name.
 * </ul>
 *
 * <p>The authority and additional sections are not read: they carry referrals and glue, not answers
 * to what the host asked (RFC 1035 4.1). Only standard queries (opcode 0) are read. Names are in
 * the text form of {@link NameText}; the root is {@code "."}.
 *
 * <p>An instance is a reusable parser for one thread: its scratch space is kept from message to
 * message, and its {@link NameCache} makes a name seen again the same string, so that a response
 * about names met before allocates nothing. The static methods parse with a fresh parser.
 */
public final class DnsMessage {
  /** Receives what one response says. */
  public interface DnsSink {
    /** One question of a response; {@code rcode} is the 4-bit header RCODE (3 is NXDOMAIN). */
    void question(String qname, int qtype, int rcode);

    /**
     * One A or AAAA record. IPv4 is IPv4-mapped, as in {@link DecodedPacket}; {@code ttl} is in
     * seconds, unsigned, and 0 when the sender set the top bit (RFC 2181 8).
     */
    void answer(String qname, long addrHi, long addrLo, long ttl);
  }

  public static final int TYPE_A = 1;
  public static final int TYPE_CNAME = 5;
  public static final int TYPE_AAAA = 28;
  public static final int RCODE_NXDOMAIN = 3;

  private static final int HEADER = 12;

  /** Compression pointers followed in one name; a real name needs a few. */
  static final int MAX_POINTERS = 32;

  /** CNAME records kept per message; resolvers give up on chains far shorter than this. */
  static final int MAX_CNAMES = 32;

  /** Questions a CNAME chain may end at; real responses have one. */
  private static final int MAX_CHAIN_QUESTIONS = 8;

  /** Names met lately, or null for a parser of one message. */
  private final NameCache cache;

  /** The text of the name {@link #readName} read last, {@link #nameLen} bytes. */
  private final byte[] name = new byte[NameText.MAX_CHARS];

  private int nameLen;
  private final String[] qnames = new String[MAX_CHAIN_QUESTIONS];
  private int questions;

  /** The answer section's A and AAAA records: owner, then address high, low and TTL. */
  private String[] owners = new String[4];

  private long[] addresses = new long[3 * 4];
  private int answers;
  private final String[] aliases = new String[MAX_CNAMES];
  private final String[] targets = new String[MAX_CNAMES];
  private int cnames;

  /** A parser to reuse for the responses one thread reads. */
  public DnsMessage() {
    this(new NameCache());
  }

  private DnsMessage(NameCache cache) {
    this.cache = cache;
  }

  /**
   * Parses one DNS message, as carried in a UDP payload, with a parser of its own.
   *
   * @see #response
   */
  public static boolean parseResponse(byte[] b, int off, int len, DnsSink sink) {
    return new DnsMessage(null).response(b, off, len, sink);
  }

  /**
   * Parses the DNS messages of a TCP stream with a parser of their own.
   *
   * @see #tcp
   */
  public static int parseTcp(byte[] b, int off, int len, DnsSink sink) {
    return new DnsMessage(null).tcp(b, off, len, sink);
  }

  /**
   * Parses one DNS message, as carried in a UDP payload.
   *
   * @return true when the message is a standard-query response whose header, questions and answer
   *     section are all well formed; false for a query, another opcode, or a message that is
   *     truncated or malformed, in which case what was parsed before the error has been reported
   */
  public boolean response(byte[] b, int off, int len, DnsSink sink) {
    if (b == null || off < 0 || len < HEADER || off > b.length - len) {
      return false;
    }
    int flags = u16(b, off + 2);
    // RFC 1035 4.1.1: QR is the top bit, OPCODE the next four, RCODE the low four.
    if ((flags & 0x8000) == 0 || ((flags >>> 11) & 0xf) != 0) {
      return false;
    }
    int rcode = flags & 0xf;
    int qdCount = u16(b, off + 4);
    int anCount = u16(b, off + 6);
    int end = off + len;
    int pos = off + HEADER;
    questions = 0;
    answers = 0;
    cnames = 0;
    boolean ok = true;
    for (int i = 0; i < qdCount && ok; i++) {
      int p = readName(b, off, end, pos);
      // RFC 1035 4.1.2: QNAME, QTYPE (2), QCLASS (2).
      if (p < 0 || p + 4 > end) {
        ok = false;
        break;
      }
      String qname = name();
      if (questions < MAX_CHAIN_QUESTIONS) {
        qnames[questions++] = qname;
      }
      sink.question(qname, u16(b, p), rcode);
      pos = p + 4;
    }
    for (int i = 0; i < anCount && ok; i++) {
      pos = readRecord(b, off, end, pos);
      ok = pos >= 0;
    }
    for (int i = 0; i < answers; i++) {
      sink.answer(
          askedFor(owners[i]), addresses[3 * i], addresses[3 * i + 1], addresses[3 * i + 2]);
    }
    return ok;
  }

  /**
   * Parses the DNS messages of a TCP stream (RFC 1035 4.2.2: each is preceded by a two-byte
   * length). Every complete message in the bytes is parsed, malformed ones included as far as they
   * go; a message not yet complete is left for the caller to call again with more bytes.
   *
   * @return the number of bytes consumed from {@code off}: whole length-prefixed messages only
   */
  public int tcp(byte[] b, int off, int len, DnsSink sink) {
    if (b == null || off < 0 || len < 0 || off > b.length - len) {
      return 0;
    }
    int pos = off;
    int end = off + len;
    while (end - pos >= 2) {
      int msgLen = u16(b, pos);
      if (end - pos - 2 < msgLen) {
        break;
      }
      response(b, pos + 2, msgLen, sink);
      pos += 2 + msgLen;
    }
    return pos - off;
  }

  /**
   * Reads one resource record (RFC 1035 4.1.3) and keeps it when it is an A, AAAA or CNAME record
   * of class IN.
   *
   * @return the offset after the record, or -1 when it is truncated or malformed
   */
  private int readRecord(byte[] b, int msg, int end, int pos) {
    int p = readName(b, msg, end, pos);
    // TYPE (2), CLASS (2), TTL (4), RDLENGTH (2), then RDATA.
    if (p < 0 || p + 10 > end) {
      return -1;
    }
    int type = u16(b, p);
    // RFC 6762 10.2: in mDNS the top bit of CLASS is the cache-flush flag, not part of the class.
    int cls = u16(b, p + 2) & 0x7fff;
    long ttl = u32(b, p + 4);
    int rdLen = u16(b, p + 8);
    int rd = p + 10;
    if (rdLen > end - rd) {
      return -1;
    }
    if (ttl > 0x7fff_ffffL) {
      ttl = 0; // RFC 2181 8: a TTL with the top bit set is treated as zero.
    }
    if (cls != 1) {
      return rd + rdLen;
    }
    if (type == TYPE_A) {
      if (rdLen != 4) {
        return -1;
      }
      address(name(), 0, Ip.v4Lo((int) u32(b, rd)), ttl);
    } else if (type == TYPE_AAAA) {
      if (rdLen != 16) {
        return -1;
      }
      address(name(), u64(b, rd), u64(b, rd + 8), ttl);
    } else if (type == TYPE_CNAME) {
      String owner = name();
      if (readName(b, msg, rd + rdLen, rd) < 0) {
        return -1;
      }
      if (cnames < MAX_CNAMES) {
        aliases[cnames] = owner;
        targets[cnames++] = name();
      }
    }
    return rd + rdLen;
  }

  private void address(String owner, long hi, long lo, long ttl) {
    if (answers == owners.length) {
      // bounded by the message: an address record takes at least 15 of its bytes
      owners = Arrays.copyOf(owners, 2 * answers);
      addresses = Arrays.copyOf(addresses, 6 * answers);
    }
    owners[answers] = owner;
    addresses[3 * answers] = hi;
    addresses[3 * answers + 1] = lo;
    addresses[3 * answers + 2] = ttl;
    answers++;
  }

  /**
   * Follows CNAME records from target back to alias until a question name is reached. The walk
   * takes at most {@link #MAX_CNAMES} steps, so a CNAME loop ends; then the owner stands.
   */
  private String askedFor(String owner) {
    String n = owner;
    for (int step = 0; step <= cnames; step++) {
      if (indexOf(qnames, questions, n) >= 0) {
        return n;
      }
      int i = indexOf(targets, cnames, n);
      if (i < 0) {
        break;
      }
      n = aliases[i];
    }
    return owner;
  }

  private static int indexOf(String[] a, int n, String s) {
    for (int i = 0; i < n; i++) {
      if (a[i].equals(s)) {
        return i;
      }
    }
    return -1;
  }

  /** The text of the name read last, one string per name while it stays in the cache. */
  String name() {
    return cache != null
        ? cache.text(name, nameLen)
        : new String(name, 0, nameLen, StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads the domain name at {@code pos} in {@link NameText} form (RFC 1035 3.1, 4.1.4); {@link
   * #name()} gives its text.
   *
   * <p>Loop protection: a compression pointer must point strictly before the start of the stretch
   * of labels that led to it, so every jump goes further back and a name cannot revisit bytes; at
   * most {@link #MAX_POINTERS} jumps are followed. The name may be at most 255 octets uncompressed,
   * a label at most 63 (the length octet's top bits 01 and 10 are the obsolete extended label types
   * and are refused). The text is then at most {@link NameText#MAX_CHARS} bytes: each of at most
   * 254 octets of labels escaped to at most four, a dot before each label but the first.
   *
   * @param msg offset of the message start, which pointers count from
   * @param end offset the name's own bytes must not pass
   * @return the offset after the name as written at {@code pos}, or -1 when the name is malformed
   */
  int readName(byte[] b, int msg, int end, int pos) {
    byte[] text = name;
    int n = 0;
    nameLen = 0;
    int after = -1;
    int stretchStart = pos;
    int octets = 1; // the root label's zero octet
    int jumps = 0;
    while (true) {
      if (pos >= end) {
        return -1;
      }
      int l = b[pos] & 0xff;
      if (l == 0) {
        if (after < 0) {
          after = pos + 1;
        }
        break;
      }
      if ((l & 0xc0) == 0xc0) {
        if (pos + 1 >= end) {
          return -1;
        }
        int target = msg + (((l & 0x3f) << 8) | (b[pos + 1] & 0xff));
        if (target >= stretchStart || ++jumps > MAX_POINTERS) {
          return -1;
        }
        if (after < 0) {
          after = pos + 2;
        }
        pos = target;
        stretchStart = target;
        continue;
      }
      if ((l & 0xc0) != 0) {
        return -1;
      }
      octets += 1 + l;
      if (octets > NameText.MAX_OCTETS || l >= end - pos) {
        return -1;
      }
      if (n > 0) {
        text[n++] = '.';
      }
      for (int i = pos + 1; i <= pos + l; i++) {
        n = NameText.putOctet(text, n, b[i] & 0xff, true);
      }
      pos += 1 + l;
    }
    if (n == 0) {
      text[n++] = '.';
    }
    nameLen = n;
    return after;
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  private static long u32(byte[] b, int i) {
    return ((long) u16(b, i) << 16) | u16(b, i + 2);
  }

  private static long u64(byte[] b, int i) {
    return (u32(b, i) << 32) | u32(b, i + 4);
  }
}
