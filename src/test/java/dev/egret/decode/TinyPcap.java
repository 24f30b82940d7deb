package dev.egret.decode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal reader of classic pcap and pcapng files for tests, independent of the capture package.
 */
final class TinyPcap {
  record Packet(int linkType, byte[] data, int origLen) {}

  private TinyPcap() {}

  static List<Packet> read(Path file) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file));
    List<Packet> out = new ArrayList<>();
    if (bb.remaining() < 24) {
      return out;
    }
    int magic = bb.order(ByteOrder.BIG_ENDIAN).getInt(0);
    if (magic == 0x0a0d0d0a) {
      return readPcapng(bb);
    }
    if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
      bb.order(ByteOrder.BIG_ENDIAN);
    } else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
      bb.order(ByteOrder.LITTLE_ENDIAN);
    } else {
      throw new IOException("not a pcap file: " + file);
    }
    int linkType = bb.getInt(20) & 0xffff;
    int p = 24;
    while (p + 16 <= bb.limit()) {
      int incl = bb.getInt(p + 8);
      int orig = bb.getInt(p + 12);
      if (incl < 0 || p + 16 + incl > bb.limit()) {
        break;
      }
      byte[] data = new byte[incl];
      bb.get(p + 16, data);
      out.add(new Packet(linkType, data, orig));
      p += 16 + incl;
    }
    return out;
  }

  private static List<Packet> readPcapng(ByteBuffer bb) {
    List<Packet> out = new ArrayList<>();
    List<Integer> links = new ArrayList<>();
    int p = 0;
    while (p + 12 <= bb.limit()) {
      if (bb.get(p) == 0x0a && bb.get(p + 1) == 0x0d && bb.get(p + 2) == 0x0d) {
        bb.order(bb.get(p + 8) == 0x1a ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        links.clear();
      }
      int type = bb.getInt(p);
      int len = bb.getInt(p + 4);
      if (len < 12 || p + len > bb.limit()) {
        break;
      }
      if (type == 1) {
        links.add(bb.getShort(p + 8) & 0xffff);
      } else if (type == 6) {
        int iface = bb.getInt(p + 8);
        int cap = bb.getInt(p + 20);
        int orig = bb.getInt(p + 24);
        byte[] data = new byte[cap];
        bb.get(p + 28, data);
        out.add(new Packet(links.get(iface), data, orig));
      }
      p += len;
    }
    return out;
  }
}
