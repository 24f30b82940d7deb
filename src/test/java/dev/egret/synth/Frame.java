package dev.egret.synth;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A generated frame with its header offsets, parsed independently of the generator's code. */
final class Frame {
  final long time;
  final byte[] b;
  boolean vlan;
  int ipOff;
  boolean v6;
  int proto;
  int l4Off;
  int l4Len;
  int payloadOff;
  int payloadLen;
  int sport;
  int dport;
  int tcpFlags;

  private Frame(long time, byte[] b) {
    this.time = time;
    this.b = b;
  }

  static Frame parse(long time, byte[] frame, int len) {
    Frame f = new Frame(time, java.util.Arrays.copyOf(frame, len));
    int type = f.u16(12);
    f.ipOff = 14;
    if (type == 0x8100) {
      f.vlan = true;
      type = f.u16(16);
      f.ipOff = 18;
    }
    if (type == 0x86dd) {
      f.v6 = true;
      f.proto = f.b[f.ipOff + 6] & 0xff;
      f.l4Off = f.ipOff + 40;
      f.l4Len = f.u16(f.ipOff + 4);
    } else if (type == 0x0800) {
      f.proto = f.b[f.ipOff + 9] & 0xff;
      int ihl = (f.b[f.ipOff] & 0x0f) * 4;
      f.l4Off = f.ipOff + ihl;
      f.l4Len = f.u16(f.ipOff + 2) - ihl;
    } else {
      throw new AssertionError("unexpected ethertype 0x" + Integer.toHexString(type));
    }
    if (f.proto == 6) {
      f.sport = f.u16(f.l4Off);
      f.dport = f.u16(f.l4Off + 2);
      f.tcpFlags = f.b[f.l4Off + 13] & 0xff;
      f.payloadOff = f.l4Off + ((f.b[f.l4Off + 12] & 0xf0) >>> 4) * 4;
    } else if (f.proto == 17) {
      f.sport = f.u16(f.l4Off);
      f.dport = f.u16(f.l4Off + 2);
      f.payloadOff = f.l4Off + 8;
    } else {
      f.payloadOff = f.l4Off + 8;
    }
    f.payloadLen = f.l4Off + f.l4Len - f.payloadOff;
    return f;
  }

  int u16(int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  byte[] payload() {
    return java.util.Arrays.copyOfRange(b, payloadOff, payloadOff + payloadLen);
  }

  /** Generates with {@code options} and parses every frame. */
  static List<Frame> generate(SynthOptions options) throws IOException {
    List<Frame> out = new ArrayList<>();
    new TrafficGenerator(options).run((t, frame, len) -> out.add(parse(t, frame, len)));
    return out;
  }

  static SynthOptions packets(long n, long seed) {
    return new SynthOptions(seed, 0, n, Instant.parse("2024-01-15T00:00:00Z"), 1, 20, false, false);
  }
}
