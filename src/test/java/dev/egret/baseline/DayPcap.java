package dev.egret.baseline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes small classic pcap files (little-endian, microseconds, Ethernet) of complete IPv4 TCP
 * connections at chosen times, for tests that need captures spanning days. Checksums are computed
 * (RFC 791 3.1, RFC 793 3.1 with the pseudo-header).
 */
public final class DayPcap {
  private static final int SYN = 0x02;
  private static final int ACK = 0x10;
  private static final int PSH = 0x08;
  private static final int FIN = 0x01;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int ipId = 1;

  public DayPcap() {
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    h.putInt(65535).putInt(1); // snaplen, LINKTYPE_ETHERNET
    out.writeBytes(h.array());
  }

  /**
   * A TCP connection opened at {@code when}: SYN, SYN-ACK, ACK, the client's payload (when not
   * null), then FIN both ways, a few milliseconds apart.
   */
  public DayPcap tcp(String when, String client, int cport, String server, int sport, String data) {
    long us = Instant.parse(when).toEpochMilli() * 1000;
    byte[] payload = data == null ? new byte[0] : data.getBytes(StandardCharsets.ISO_8859_1);
    long cs = 1000;
    long ss = 5000;
    frame(us, client, cport, server, sport, cs, 0, SYN, new byte[0]);
    frame(us + 1000, server, sport, client, cport, ss, cs + 1, SYN | ACK, new byte[0]);
    frame(us + 2000, client, cport, server, sport, cs + 1, ss + 1, ACK, new byte[0]);
    long c = cs + 1;
    if (payload.length > 0) {
      frame(us + 3000, client, cport, server, sport, c, ss + 1, PSH | ACK, payload);
      c += payload.length;
    }
    frame(us + 4000, client, cport, server, sport, c, ss + 1, FIN | ACK, new byte[0]);
    frame(us + 5000, server, sport, client, cport, ss + 1, c + 1, FIN | ACK, new byte[0]);
    frame(us + 6000, client, cport, server, sport, c + 1, ss + 2, ACK, new byte[0]);
    return this;
  }

  /**
   * A TCP connection opened at {@code when} in which the client sends each payload in its own
   * segment, a millisecond apart (a server's replies are left out: only the client's are needed).
   */
  public DayPcap talk(
      String when, String client, int cport, String server, int sport, byte[]... payloads) {
    long us = Instant.parse(when).toEpochMilli() * 1000;
    long cs = 1000;
    long ss = 5000;
    frame(us, client, cport, server, sport, cs, 0, SYN, new byte[0]);
    frame(us + 1000, server, sport, client, cport, ss, cs + 1, SYN | ACK, new byte[0]);
    frame(us + 2000, client, cport, server, sport, cs + 1, ss + 1, ACK, new byte[0]);
    long c = cs + 1;
    us += 3000;
    for (byte[] payload : payloads) {
      frame(us, client, cport, server, sport, c, ss + 1, PSH | ACK, payload);
      c += payload.length;
      us += 1000;
    }
    frame(us, client, cport, server, sport, c, ss + 1, FIN | ACK, new byte[0]);
    frame(us + 1000, server, sport, client, cport, ss + 1, c + 1, FIN | ACK, new byte[0]);
    return this;
  }

  /** A SYN that nobody answers. */
  public DayPcap syn(String when, String client, int cport, String server, int sport) {
    long us = Instant.parse(when).toEpochMilli() * 1000;
    frame(us, client, cport, server, sport, 1000, 0, SYN, new byte[0]);
    return this;
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  public Path write(Path file) throws IOException {
    return Files.write(file, bytes());
  }

  private void frame(
      long us,
      String src,
      int sport,
      String dst,
      int dport,
      long seq,
      long ack,
      int flags,
      byte[] payload) {
    int ipLen = 20 + 20 + payload.length;
    ByteBuffer f = ByteBuffer.allocate(14 + ipLen);
    f.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
    int ip = f.position();
    f.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) ipId++);
    f.putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0);
    f.put(addr(src)).put(addr(dst));
    f.putShort(ip + 10, (short) checksum(f.array(), ip, 20, 0));
    int tcp = f.position();
    f.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack);
    f.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0);
    f.putShort((short) 0).put(payload);
    long pseudo = sum(addr(src)) + sum(addr(dst)) + 6 + 20 + payload.length;
    f.putShort(tcp + 16, (short) checksum(f.array(), tcp, 20 + payload.length, pseudo));
    ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    rec.putInt((int) (us / 1_000_000)).putInt((int) (us % 1_000_000));
    rec.putInt(f.capacity()).putInt(f.capacity());
    out.writeBytes(rec.array());
    out.writeBytes(f.array());
  }

  private static byte[] addr(String dotted) {
    String[] p = dotted.split("\\.");
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) Integer.parseInt(p[i]);
    }
    return b;
  }

  private static long sum(byte[] b) {
    return ((b[0] & 0xff) << 8 | (b[1] & 0xff)) + ((b[2] & 0xff) << 8 | (b[3] & 0xff));
  }

  private static int checksum(byte[] b, int off, int len, long start) {
    long s = start;
    for (int i = 0; i < len; i += 2) {
      int hi = b[off + i] & 0xff;
      int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
      s += hi << 8 | lo;
    }
    while ((s >> 16) != 0) {
      s = (s & 0xffff) + (s >> 16);
    }
    return (int) (~s & 0xffff);
  }
}
