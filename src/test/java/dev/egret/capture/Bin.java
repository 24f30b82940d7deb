package dev.egret.capture;

import java.io.ByteArrayOutputStream;

/** Builds a capture file field by field, in a chosen byte order, for hand-written test inputs. */
final class Bin {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private boolean bigEndian;

  private Bin(boolean bigEndian) {
    this.bigEndian = bigEndian;
  }

  static Bin le() {
    return new Bin(false);
  }

  static Bin be() {
    return new Bin(true);
  }

  /** Switches the byte order for the fields that follow. */
  Bin order(boolean bigEndian) {
    this.bigEndian = bigEndian;
    return this;
  }

  Bin u8(int v) {
    out.write(v);
    return this;
  }

  Bin u16(int v) {
    return bigEndian ? u8(v >>> 8).u8(v) : u8(v).u8(v >>> 8);
  }

  Bin u32(long v) {
    return bigEndian ? u16((int) (v >>> 16)).u16((int) v) : u16((int) v).u16((int) (v >>> 16));
  }

  Bin u64(long v) {
    return bigEndian ? u32(v >>> 32).u32(v) : u32(v).u32(v >>> 32);
  }

  Bin bytes(int... bs) {
    for (int b : bs) {
      out.write(b);
    }
    return this;
  }

  Bin bytes(byte[] bs) {
    out.write(bs, 0, bs.length);
    return this;
  }

  /** Zero bytes up to the next multiple of 4. */
  Bin pad4() {
    while (out.size() % 4 != 0) {
      out.write(0);
    }
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] build() {
    return out.toByteArray();
  }

  /** Classic pcap file header (pcap-savefile(5)), microseconds unless {@code magic} says nano. */
  Bin pcapHeader(long magic, long snaplen, long linkType) {
    return u32(magic) // magic, written in this builder's order
        .u16(2)
        .u16(4) // version 2.4
        .u32(0) // thiszone
        .u32(0) // sigfigs
        .u32(snaplen)
        .u32(linkType);
  }

  /** Classic pcap record: header then {@code data}. */
  Bin pcapRecord(long sec, long frac, long caplen, long len, byte[] data) {
    return u32(sec).u32(frac).u32(caplen).u32(len).bytes(data);
  }

  /** A pcapng block with correct leading and trailing lengths around {@code body} (padded). */
  Bin block(int type, byte[] body) {
    int total = 12 + ((body.length + 3) & ~3);
    u32(type).u32(total).bytes(body);
    for (int i = body.length; i % 4 != 0; i++) {
      u8(0);
    }
    return u32(total);
  }

  /** A Section Header Block in this builder's order, version 1.0, unknown section length. */
  Bin shb() {
    return block(0x0A0D0D0A, sub().u32(0x1A2B3C4D).u16(1).u16(0).u64(-1).build());
  }

  /** An Interface Description Block with no options. */
  Bin idb(int linkType, long snaplen) {
    return block(1, sub().u16(linkType).u16(0).u32(snaplen).build());
  }

  /** An Enhanced Packet Block. */
  Bin epb(long ifId, long tsUnits, byte[] data, long origLen) {
    Bin b = sub().u32(ifId).u32(tsUnits >>> 32).u32(tsUnits).u32(data.length).u32(origLen);
    return block(6, b.bytes(data).pad4().build());
  }

  /** A builder for a block body in the same byte order. */
  Bin sub() {
    return new Bin(bigEndian);
  }

  static byte[] data(int n, int first) {
    byte[] d = new byte[n];
    for (int i = 0; i < n; i++) {
      d[i] = (byte) (first + i);
    }
    return d;
  }
}
