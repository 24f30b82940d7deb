package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.Frames.eth;
import static dev.egret.decode.Frames.icmp;
import static dev.egret.decode.Frames.ipv4;
import static dev.egret.decode.Frames.ipv6;
import static dev.egret.decode.Frames.label;
import static dev.egret.decode.Frames.tag;
import static dev.egret.decode.Frames.tcpSyn;
import static dev.egret.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder must never throw: random bytes, every truncation and random corruption of valid
 * frames on every link type. Each call is counted exactly once, and a decoded payload always lies
 * inside the captured bytes.
 */
class DecoderFuzzTest {
  private record Sample(int linkType, byte[] frame) {}

  private static final byte[] SYN4 = cat(ipv4(6, 20), tcpSyn());
  private static final byte[] SYN6 = cat(ipv6(6, 20), tcpSyn());
  private static final byte[] ICMP_ERR = cat(ipv4(1, 8 + 28), icmp(3, 3), ipv4(17, 8), udp(0));
  private static final byte[] ICMP6_ERR =
      cat(
          ipv6(58, 8 + 16 + 40 + 8),
          icmp(1, 4),
          ipv6(44, 16),
          bytes(17, 0, 0, 1, 0, 0, 0, 1),
          udp(0));
  private static final byte[] V6_CHAIN =
      cat(
          ipv6(0, 8 + 8 + 24 + 20),
          bytes(43, 0, 1, 4, 0, 0, 0, 0),
          bytes(51, 0, 0, 0, 0, 0, 0, 0),
          bytes(6, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
          tcpSyn());

  private static final List<Sample> SAMPLES =
      List.of(
          new Sample(LinkTypes.ETHERNET, cat(eth(0x0800), SYN4)),
          new Sample(LinkTypes.ETHERNET, cat(eth(0x86dd), V6_CHAIN)),
          new Sample(LinkTypes.ETHERNET, cat(eth(0x0800), ICMP_ERR)),
          new Sample(LinkTypes.ETHERNET, cat(eth(0x86dd), ICMP6_ERR)),
          new Sample(
              LinkTypes.ETHERNET,
              cat(
                  eth(0x88a8),
                  tag(2, 0x8100),
                  tag(3, 0x8847),
                  label(1, false),
                  label(2, true),
                  SYN6)),
          new Sample(
              LinkTypes.ETHERNET, cat(eth(0x8864), bytes(0x11, 0, 0, 1, 0, 42, 0, 0x21), SYN4)),
          new Sample(
              LinkTypes.ETHERNET, cat(eth(0x8903), bytes(0, 0), eth(0x9100), tag(5, 0x0800), SYN4)),
          new Sample(
              LinkTypes.ETHERNET, cat(eth(40), bytes(0xaa, 0xaa, 3, 0, 0, 0, 0x08, 0), SYN4)),
          new Sample(LinkTypes.LINUX_SLL, cat(new byte[14], bytes(0x86, 0xdd), SYN6)),
          new Sample(LinkTypes.LINUX_SLL2, cat(bytes(0x08, 0), new byte[18], ICMP_ERR)),
          new Sample(LinkTypes.RAW, SYN4),
          new Sample(LinkTypes.RAW_DLT12, ICMP6_ERR),
          new Sample(LinkTypes.RAW_DLT14, SYN6),
          new Sample(LinkTypes.IPV4, cat(ipv4(17, 12), udp(4), new byte[4])),
          new Sample(LinkTypes.IPV6, V6_CHAIN),
          new Sample(LinkTypes.NULL, cat(bytes(30, 0, 0, 0), SYN6)),
          new Sample(LinkTypes.LOOP, cat(bytes(0, 0, 0, 2), SYN4)),
          new Sample(LinkTypes.PPP, cat(bytes(0xff, 0x03, 0x21), SYN4)),
          new Sample(LinkTypes.PPP, cat(bytes(0x02, 0x81), label(9, true), SYN6)),
          new Sample(LinkTypes.PPP_HDLC, cat(bytes(0x0f, 0, 0x86, 0xdd), SYN6)),
          new Sample(LinkTypes.PPP_ETHER, cat(bytes(0x11, 0, 0, 1, 0, 62, 0, 0x57), SYN6)),
          new Sample(LinkTypes.C_HDLC, cat(bytes(0x8f, 0, 0x08, 0), ICMP_ERR)));

  private static final int[] LINK_TYPES = {
    LinkTypes.NULL, LinkTypes.ETHERNET, LinkTypes.PPP, LinkTypes.RAW_DLT12, LinkTypes.RAW_DLT14,
    LinkTypes.PPP_HDLC, LinkTypes.PPP_ETHER, LinkTypes.RAW, LinkTypes.C_HDLC, LinkTypes.LOOP,
    LinkTypes.LINUX_SLL, LinkTypes.IPV4, LinkTypes.IPV6, LinkTypes.LINUX_SLL2, 160
  };

  private final DecodeStats stats = new DecodeStats();
  private final PacketDecoder decoder = new PacketDecoder(stats);
  private final DecodedPacket out = new DecodedPacket();
  private long calls;

  /**
   * Decodes the frame in place and from an exact-size copy, where any read past the captured bytes
   * would throw.
   */
  private void check(int linkType, byte[] buf, int off, int caplen, int origLen) {
    if (off >= 0 && caplen >= 0 && off + caplen <= buf.length) {
      decodeOnce(linkType, Arrays.copyOfRange(buf, off, off + caplen), 0, caplen, origLen);
    }
    decodeOnce(linkType, buf, off, caplen, origLen);
  }

  private void decodeOnce(int linkType, byte[] buf, int off, int caplen, int origLen) {
    boolean ok;
    try {
      ok = decoder.decode(linkType, buf, off, caplen, origLen, out);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "threw on linktype " + linkType + ", " + caplen + " bytes: " + hex(buf, off, caplen), e);
    }
    calls++;
    if (ok) {
      assertTrue(out.payloadOff >= off && out.payloadLen >= 0, "payload before the frame");
      assertTrue(out.payloadOff + out.payloadLen <= off + caplen, "payload past the capture");
      assertTrue(out.ipVersion == 4 || out.ipVersion == 6, "ip version " + out.ipVersion);
    }
  }

  private static String hex(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder();
    for (int i = off; i < off + len && i < b.length; i++) {
      sb.append(String.format("%02x", b[i]));
    }
    return sb.toString();
  }

  private long counted() {
    long n = 0;
    for (long v : stats.nonZero().values()) {
      n += v;
    }
    return n;
  }

  @Test
  void samplesDecode() {
    for (Sample s : SAMPLES) {
      if (!decoder.decode(s.linkType(), s.frame(), 0, s.frame().length, out)) {
        fail("sample on linktype " + s.linkType() + " not decoded: " + stats.nonZero());
      }
    }
  }

  @Test
  void everyTruncationOfEverySample() {
    for (Sample s : SAMPLES) {
      byte[] f = s.frame();
      for (int len = 0; len <= f.length; len++) {
        check(s.linkType(), f, 0, len, -1); // snapshot of unknown wire length
        check(s.linkType(), f, 0, len, len); // captured whole at this length
        check(s.linkType(), f, 0, len, f.length); // short snapshot of the full frame
      }
    }
    assertEquals(calls, counted());
    assertTrue(stats.get(DecodeStats.Kind.TRUNCATED_LINK) > 0);
    assertTrue(stats.get(DecodeStats.Kind.TRUNCATED_IP) > 0);
    assertTrue(stats.get(DecodeStats.Kind.TRUNCATED_TRANSPORT) > 0);
    assertTrue(stats.get(DecodeStats.Kind.BAD_TOTAL_LENGTH) > 0);
  }

  @Test
  void randomCorruptionOfSamples() {
    Random rnd = new Random(0x5eed);
    for (int i = 0; i < 200_000; i++) {
      Sample s = SAMPLES.get(rnd.nextInt(SAMPLES.size()));
      byte[] f = s.frame().clone();
      int flips = 1 + rnd.nextInt(4);
      for (int j = 0; j < flips; j++) {
        f[rnd.nextInt(f.length)] = (byte) rnd.nextInt(256);
      }
      int len = rnd.nextInt(4) == 0 ? rnd.nextInt(f.length + 1) : f.length;
      check(s.linkType(), f, 0, len, rnd.nextBoolean() ? -1 : len);
    }
    assertEquals(calls, counted());
    assertTrue(stats.get(DecodeStats.Kind.DECODED) > 0);
  }

  @Test
  void randomBytesOnEveryLinkType() {
    Random rnd = new Random(42);
    byte[] buf = new byte[300];
    for (int i = 0; i < 200_000; i++) {
      rnd.nextBytes(buf);
      // Bias towards headers that get past the first checks.
      if (rnd.nextBoolean()) {
        buf[20] = (byte) (rnd.nextBoolean() ? 0x45 : 0x60);
      }
      int off = rnd.nextInt(20);
      int len = rnd.nextInt(buf.length - off + 1);
      check(LINK_TYPES[rnd.nextInt(LINK_TYPES.length)], buf, off, len, rnd.nextInt(400) - 50);
    }
    assertEquals(calls, counted());
  }
}
