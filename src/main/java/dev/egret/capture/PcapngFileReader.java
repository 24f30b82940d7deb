package dev.egret.capture;

import java.io.IOException;

/**
 * pcapng (draft-ietf-opsawg-pcapng): blocks of {@code type, total length, body, total length}. Each
 * Section Header Block sets the byte order of its section and starts a new set of interfaces;
 * Interface Description Blocks give link type, snapshot length and timestamp units; packets come
 * from Enhanced Packet Blocks, Simple Packet Blocks and the obsolete Packet Block. Other blocks are
 * skipped by their length.
 *
 * <p>Framing checks (section 3.1): a total length under 12 or a trailing length that differs from
 * the leading one means the next block cannot be found: reading stops there and {@link #problem()}
 * says why. A length that is not a multiple of 4 but whose trailer agrees is a counted skip, as is
 * a packet block whose captured length overruns the block or whose interface id is unknown. A block
 * over {@link #MAX_BLOCK} bytes is skipped without buffering (counted when it is a packet block).
 *
 * <p>Delivered lengths are cut to the interface's snapshot length and to {@link #MAX_CAPLEN}, so
 * every source keeps that bound; the original length passed on is at least the delivered length.
 *
 * <p>A Simple Packet Block has no timestamp (4.4): it is given the previous packet's, so time never
 * runs backwards for later stages.
 */
final class PcapngFileReader extends CaptureFile {
  static final int SHB = 0x0A0D0D0A;
  static final int IDB = 1;
  static final int PB = 2;
  static final int SPB = 3;
  static final int EPB = 6;
  static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  private static final int OPT_END = 0;
  private static final int IF_TSRESOL = 9;
  private static final int IF_TSOFFSET = 14;
  private static final int DEFAULT_TSRESOL = 6;

  private final PcapngInterfaces ifs = new PcapngInterfaces();
  private boolean bigEndian;
  private long lastTs;

  /** Checks the first Section Header Block, so a broken one fails at open. */
  PcapngFileReader(String name, BlockReader in) throws IOException {
    super(name, in);
    if (!in.fill(28)) {
      throw new CaptureException(
          prefix() + "pcapng section header cut short (" + in.available() + " of 28 bytes)");
    }
    byte[] b = in.buf();
    int p = in.pos();
    int bom = Bytes.i32(b, p + 8, true);
    if (bom != BYTE_ORDER_MAGIC && bom != Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
      throw new CaptureException(
          prefix() + String.format("pcapng byte-order magic 0x%08x is neither order", bom));
    }
    bigEndian = bom == BYTE_ORDER_MAGIC;
    int major = Bytes.u16(b, p + 12, bigEndian);
    if (major != 1) {
      throw new CaptureException(prefix() + "pcapng major version " + major + " (expected 1)");
    }
  }

  @Override
  public String format() {
    return "pcapng";
  }

  @Override
  void read(PacketHandler handler) throws IOException {
    while (!stopped()) {
      if (!in.fill(12)) {
        if (in.available() > 0) {
          truncated++;
        }
        return;
      }
      byte[] b = in.buf();
      int p = in.pos();
      int type = Bytes.i32(b, p, bigEndian);
      if (type == SHB && !sectionOrder(b, p + 8)) {
        return;
      }
      long total = Bytes.u32(b, p + 4, bigEndian);
      if (total < 12) {
        corrupt("block length " + total + " (at least 12)", in.offset());
        return;
      }
      if (total > MAX_BLOCK) {
        if (!skipLarge(type, total)) {
          return;
        }
        continue;
      }
      int len = (int) total;
      if (!in.fill(len)) {
        truncated++;
        return;
      }
      b = in.buf();
      p = in.pos();
      long trailer = Bytes.u32(b, p + len - 4, bigEndian);
      if (trailer != total) {
        corrupt("block trailer length " + trailer + " differs from " + total, in.offset());
        return;
      }
      if ((len & 3) != 0) {
        skipped++;
      } else if (!block(handler, type, b, p, len)) {
        return;
      }
      in.consume(len);
    }
  }

  /** Sets the byte order from an SHB's byte-order magic; false (and stop) when it is neither. */
  private boolean sectionOrder(byte[] b, int off) {
    int bom = Bytes.i32(b, off, true);
    if (bom == BYTE_ORDER_MAGIC) {
      bigEndian = true;
    } else if (bom == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
      bigEndian = false;
    } else {
      corrupt(String.format("section header byte-order magic 0x%08x", bom), in.offset());
      return false;
    }
    return true;
  }

  /** One whole, framed block; false when reading must stop. */
  private boolean block(PacketHandler h, int type, byte[] b, int p, int len) {
    switch (type) {
      case SHB:
        return section(b, p, len);
      case IDB:
        return iface(b, p, len);
      case EPB:
        packet(h, b, p, len, 32, Bytes.u32(b, p + 8, bigEndian));
        return true;
      case PB:
        packet(h, b, p, len, 32, Bytes.u16(b, p + 8, bigEndian));
        return true;
      case SPB:
        simplePacket(h, b, p, len);
        return true;
      default:
        return true;
    }
  }

  private boolean section(byte[] b, int p, int len) {
    if (len < 28) {
      corrupt("section header block of " + len + " bytes (at least 28)", in.offset());
      return false;
    }
    int major = Bytes.u16(b, p + 12, bigEndian);
    if (major != 1) {
      corrupt("pcapng major version " + major + " (expected 1)", in.offset());
      return false;
    }
    ifs.clear();
    return true;
  }

  /** Interface Description Block (4.2): link type, snaplen, then options. */
  private boolean iface(byte[] b, int p, int len) {
    if (len < 20) {
      skipped++;
      return true;
    }
    int linkType = Bytes.u16(b, p + 8, bigEndian);
    long snap = Bytes.u32(b, p + 12, bigEndian);
    int tsresol = DEFAULT_TSRESOL;
    long tsoffset = 0;
    int o = p + 16;
    int end = p + len - 4;
    while (o + 4 <= end) {
      int code = Bytes.u16(b, o, bigEndian);
      int optLen = Bytes.u16(b, o + 2, bigEndian);
      if (code == OPT_END || o + 4 + optLen > end) {
        break;
      }
      if (code == IF_TSRESOL && optLen == 1) {
        tsresol = b[o + 4] & 0xFF;
      } else if (code == IF_TSOFFSET && optLen == 8) {
        tsoffset = Bytes.i64(b, o + 4, bigEndian);
      }
      o += 4 + ((optLen + 3) & ~3);
    }
    int snaplen = snap > MAX_CAPLEN ? 0 : (int) snap;
    if (!ifs.add(linkType, snaplen, tsresol, tsoffset)) {
      skipped++;
    }
    return true;
  }

  /** Enhanced (4.3) or obsolete (appendix) Packet Block: same layout after the interface id. */
  private void packet(PacketHandler h, byte[] b, int p, int len, int min, long ifId) {
    if (len < min || ifId >= ifs.count()) {
      skipped++;
      return;
    }
    long caplen = Bytes.u32(b, p + 20, bigEndian);
    if (caplen > len - min) {
      skipped++;
      return;
    }
    int id = (int) ifId;
    long units = Bytes.u32(b, p + 12, bigEndian) << 32 | Bytes.u32(b, p + 16, bigEndian);
    long orig = Bytes.u32(b, p + 24, bigEndian);
    deliver(h, id, ifs.toNanos(id, units), b, p + 28, (int) caplen, orig);
  }

  /** Simple Packet Block (4.4): interface 0, original length, data up to the block's end. */
  private void simplePacket(PacketHandler h, byte[] b, int p, int len) {
    if (len < 16 || ifs.count() == 0) {
      skipped++;
      return;
    }
    long orig = Bytes.u32(b, p + 8, bigEndian);
    int caplen = (int) Math.min(orig, len - 16);
    deliver(h, 0, lastTs, b, p + 12, caplen, orig);
  }

  private void deliver(PacketHandler h, int id, long ts, byte[] b, int off, int caplen, long orig) {
    int snap = ifs.snaplen(id);
    int cap = Math.min(snap > 0 && caplen > snap ? snap : caplen, MAX_CAPLEN);
    int origLen = Math.max(Bytes.saturate(orig), cap);
    packets++;
    bytes += cap;
    lastTs = ts;
    h.onPacket(ifs.linkType(id), ts, b, off, cap, origLen);
  }

  /** A block too large to buffer: skip it, then check its trailer. False when reading must stop. */
  private boolean skipLarge(int type, long total) throws IOException {
    long at = in.offset();
    if (type == SHB || type == IDB) {
      corrupt("block of " + total + " bytes (limit " + MAX_BLOCK + ")", at);
      return false;
    }
    if (!in.skip(total - 4) || !in.fill(4)) {
      truncated++;
      return false;
    }
    long trailer = Bytes.u32(in.buf(), in.pos(), bigEndian);
    in.consume(4);
    if (trailer != total) {
      corrupt("block trailer length " + trailer + " differs from " + total, at);
      return false;
    }
    if (type == EPB || type == PB || type == SPB || (total & 3) != 0) {
      skipped++;
    }
    return true;
  }
}
