package dev.egret.capture;

import java.io.IOException;

/**
 * Classic pcap (tcpdump's pcap-savefile(5)): a 24-byte file header, then records of a 16-byte
 * header and the captured bytes. Microsecond ({@code a1b2c3d4}) and nanosecond ({@code a1b23c4d})
 * variants, either byte order, told apart by how the magic reads.
 *
 * <p>Lengths: a record's captured length is delivered cut to the header's snapshot length, as
 * libpcap does (a snapshot length of 0 or over {@link #MAX_CAPLEN} means {@code MAX_CAPLEN}); the
 * whole record is still consumed. The original length passed on is at least the delivered length (a
 * record with caplen > len keeps its bytes and reports len = caplen). A captured length over {@code
 * MAX_CAPLEN} cannot be a real record: reading stops there (see {@link #problem()}).
 *
 * <p>Timestamps: seconds (unsigned 32-bit) times 10^9 plus the fraction in its unit. A microsecond
 * field of 10^6 or more is kept as is and so rolls into the following seconds, as libpcap's
 * arithmetic does; it never overflows, as both fields are 32-bit.
 */
final class PcapFileReader extends CaptureFile {
  static final int HEADER = 24;
  static final int RECORD = 16;
  static final int MAGIC_MICROS = 0xA1B2C3D4;
  static final int MAGIC_NANOS = 0xA1B23C4D;

  private final boolean bigEndian;
  private final long fractionNanos;
  private final int linkType;
  private final int snaplen;

  /** Reads the file header; {@code magic} is the first four bytes read big-endian. */
  PcapFileReader(String name, BlockReader in, int magic) throws IOException {
    super(name, in);
    bigEndian = magic == MAGIC_MICROS || magic == MAGIC_NANOS;
    fractionNanos = magic == MAGIC_NANOS || magic == Integer.reverseBytes(MAGIC_NANOS) ? 1 : 1_000;
    if (!in.fill(HEADER)) {
      throw new CaptureException(
          prefix() + "pcap file header cut short (" + in.available() + " of 24 bytes)");
    }
    byte[] b = in.buf();
    int p = in.pos();
    long snap = Bytes.u32(b, p + 16, bigEndian);
    // pcap-savefile(5): the LINKTYPE_ value is the low 16 bits; the upper bits may carry the FCS
    // length (e.g. 0x30000001 is Ethernet with a 6-byte FCS flag set).
    linkType = Bytes.u16(b, p + 20 + (bigEndian ? 2 : 0), bigEndian);
    snaplen = snap == 0 || snap > MAX_CAPLEN ? MAX_CAPLEN : (int) snap;
    in.consume(HEADER);
  }

  static boolean isMagic(int magic) {
    return magic == MAGIC_MICROS
        || magic == MAGIC_NANOS
        || magic == Integer.reverseBytes(MAGIC_MICROS)
        || magic == Integer.reverseBytes(MAGIC_NANOS);
  }

  @Override
  public String format() {
    return "pcap";
  }

  /** The link type from the file header (low 16 bits of the field). */
  int linkType() {
    return linkType;
  }

  /** The snapshot length applied to records. */
  int snaplen() {
    return snaplen;
  }

  @Override
  void read(PacketHandler handler) throws IOException {
    final boolean be = bigEndian;
    while (!stopped()) {
      if (!in.fill(RECORD)) {
        if (in.available() > 0) {
          truncated++;
        }
        return;
      }
      byte[] b = in.buf();
      int p = in.pos();
      long caplen = Bytes.u32(b, p + 8, be);
      if (caplen > MAX_CAPLEN) {
        corrupt("captured length " + caplen + " over the limit " + MAX_CAPLEN, in.offset());
        return;
      }
      int record = RECORD + (int) caplen;
      if (!in.fill(record)) {
        truncated++;
        return;
      }
      b = in.buf();
      p = in.pos();
      long ts = Bytes.u32(b, p, be) * 1_000_000_000L + Bytes.u32(b, p + 4, be) * fractionNanos;
      int deliver = Math.min((int) caplen, snaplen);
      int origLen = Math.max(Bytes.saturate(Bytes.u32(b, p + 12, be)), deliver);
      packets++;
      bytes += deliver;
      handler.onPacket(linkType, ts, b, p + RECORD, deliver, origLen);
      in.consume(record);
    }
  }
}
