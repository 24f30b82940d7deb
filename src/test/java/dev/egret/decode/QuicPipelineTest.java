package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.Frames.eth;
import static dev.egret.decode.Frames.ipv4;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.flow.FlowConfig;
import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowPipeline;
import dev.egret.flow.NameObserver;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Through the whole pipeline: the name in a QUIC client's two Initials reaches the observer. */
class QuicPipelineTest {
  private static final long T0 = 1_700_000_000_000_000_000L;

  private static byte[] frame(int srcPort, int dstPort, byte[] udpPayload) {
    int len = 8 + udpPayload.length;
    byte[] udp = bytes(srcPort >> 8, srcPort, dstPort >> 8, dstPort, len >> 8, len, 0, 0);
    return cat(eth(0x0800), ipv4(17, len), udp, udpPayload);
  }

  @Test
  void quicServerNameIsReportedOnceForTheFlow() throws GeneralSecurityException {
    byte[] dcid = HexFormat.of().parseHex("0011223344556677");
    byte[] hs =
        TlsBytes.hello(
            cat(
                TlsBytes.otherExtension(1400),
                TlsBytes.sniExtension("www.example.org".getBytes(StandardCharsets.UTF_8))));
    int half = hs.length / 2;
    byte[] c1 = QuicPackets.crypto(0, hs, 0, half);
    byte[] c2 = QuicPackets.crypto(half, hs, half, hs.length);
    List<byte[]> packets =
        List.of(
            frame(50000, 443, QuicPackets.initial(QuicInitial.VERSION_1, dcid, 0, c2)),
            frame(50000, 443, QuicPackets.initial(QuicInitial.VERSION_1, dcid, 1, c1)),
            frame(443, 50000, new byte[] {(byte) 0xc3, 0, 0, 0, 1, 0, 0, 0}), // a server reply
            frame(50000, 443, QuicPackets.initial(QuicInitial.VERSION_1, dcid, 2, c1)));
    List<String> names = new ArrayList<>();
    NameObserver observer =
        new NameObserver() {
          @Override
          public void dnsAnswer(
              long ts, long hi, long lo, String name, long addrHi, long addrLo, long ttl) {}

          @Override
          public void dnsQuestion(long ts, long hi, long lo, String name, int qtype, int rcode) {}

          @Override
          public void serverName(long ts, FlowKey flow, String name, Source source) {
            names.add(flow.responder() + ":" + flow.respPort() + " " + name + " " + source);
          }
        };
    FlowPipeline pipeline = new FlowPipeline(FlowConfig.defaults(), f -> {}, observer);
    long ts = T0;
    for (byte[] f : packets) {
      pipeline.onPacket(1, ts += 1_000_000, f, 0, f.length, f.length);
    }
    pipeline.flush();
    assertEquals(List.of("93.184.216.34:443 www.example.org SNI"), names);
  }
}
