package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineChecks;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Learner;
import dev.egret.capture.CaptureException;
import dev.egret.capture.CaptureFile;
import dev.egret.capture.CaptureFiles;
import dev.egret.decode.DecodeStats;
import dev.egret.flow.FlowConfig;
import dev.egret.flow.FlowPipeline;
import dev.egret.net.Cidr;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation loop over everything that reads the wire: the pcap/pcapng/gzip readers, the
 * link, IP, fragment, tunnel and transport decoders, and the DNS, TLS, QUIC and HTTP name parsers
 * behind them, started from the packets of public captures (DNS, TLS, QUIC, HTTP, STARTTLS,
 * fragments, tunnels). Every mutant must be decoded or counted, never thrown; the baseline learned
 * from all of them must pass the checks a baseline passes on read and survive a write and read. A
 * damaged capture file is read or refused with a one-line {@link CaptureException} naming it.
 *
 * <p>Short by default (the CI run); {@code scripts/fuzz} runs it longer with {@code
 * -Degret.fuzz.iterations=N} and another {@code -Degret.fuzz.seed=S}. A finding becomes a
 * regression test next to the code at fault.
 */
class PacketFuzzTest {
  private static final int ITERATIONS = Integer.getInteger("egret.fuzz.iterations", 500);
  private static final long SEED = Long.getLong("egret.fuzz.seed", 20261129L);
  private static final List<String> SEEDS =
      List.of(
          "real/zeek/wikipedia.pcap",
          "real/zeek/ipv6-fragmented-dns.pcap",
          "real/zeek/dns53.pcap",
          "real/zeek/ldap/ldap-starttls.pcap",
          "real/zeek/tls/xmpp-starttls.pcap",
          "real/zeek/quic/curl-8.1.2-dev-http3-www-google-de.pcap",
          "real/zeek/tunnels/Teredo.pcap",
          "real/zeek/tunnels/vxlan.pcap",
          "real/zeek/tunnels/geneve.pcap",
          "real/zeek/tunnels/gre-sample.pcap",
          "real/zeek/tunnels/gtp/gtp1_gn_normal_incl_fragmentation.pcap",
          "real/zeek/erspanII.pcap",
          "real/zeek/cisco-fabric-path.pcap",
          "real/suricata-verify/bug-6887-defrag-ipv6-tcp.pcap",
          "real/suricata-verify/tls-client-hello-frag-01.pcap");

  @TempDir Path tmp;

  /** One packet as read: link type, time, bytes. */
  record Packet(int linkType, long ts, byte[] data) {}

  private static List<Packet> read(Path file) throws IOException {
    List<Packet> out = new ArrayList<>();
    try (CaptureFile f = CaptureFiles.open(file.toString())) {
      f.run(
          (lt, ts, buf, off, caplen, origLen) ->
              out.add(new Packet(lt, ts, Arrays.copyOfRange(buf, off, off + caplen))));
    }
    return out;
  }

  @Test
  void mutatedPacketsAreDecodedOrCountedAndLearnValidBaselines() throws IOException {
    List<Packet> seeds = new ArrayList<>();
    for (String s : SEEDS) {
      seeds.addAll(read(SharedPcaps.file(s)));
    }
    Random rnd = new Random(SEED);
    for (boolean decapsulate : new boolean[] {false, true}) {
      EgretConfig everyoneInside =
          EgretConfig.defaults().withInternal(List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")));
      Learner learner = new Learner(everyoneInside);
      FlowPipeline pipeline =
          new FlowPipeline(FlowConfig.defaults().withDecapsulate(decapsulate), learner, learner);
      long ts = seeds.get(0).ts();
      int fed = 0;
      for (int i = 0; i < ITERATIONS * 20; i++) {
        Packet p = seeds.get(rnd.nextInt(seeds.size()));
        byte[] b = mutate(p.data(), seeds.get(rnd.nextInt(seeds.size())).data(), rnd);
        ts += rnd.nextInt(3) == 0 ? 40_000_000_000L : 1_000_000L; // now and then past a timeout
        try {
          pipeline.onPacket(p.linkType(), ts, b, 0, b.length, b.length + rnd.nextInt(2));
        } catch (RuntimeException e) {
          fail(
              "mutant "
                  + i
                  + " of a "
                  + p.linkType()
                  + " packet (seed "
                  + SEED
                  + ", decapsulate "
                  + decapsulate
                  + "): "
                  + hex(b),
              e);
        }
        fed++;
      }
      pipeline.flush();
      DecodeStats d = pipeline.decodeStats();
      long counted = d.nonZero().values().stream().mapToLong(Long::longValue).sum();
      assertEquals(fed, counted, "every packet is counted once: " + d.nonZero());
      Baseline b = learner.snapshot("fuzz", List.of(), fed, d.malformed(), 0, 0);
      BaselineChecks.check(b);
      assertEquals(b, BaselineJson.parse(BaselineJson.toBytes(b), "fuzz"));
    }
  }

  @Test
  void damagedCaptureFilesAreReadOrRefusedInOneLine() throws IOException {
    List<byte[]> files = new ArrayList<>();
    for (String s : SEEDS.subList(0, 4)) {
      files.add(Files.readAllBytes(SharedPcaps.file(s)));
    }
    Random rnd = new Random(SEED + 1);
    for (int i = 0; i < Math.max(20, ITERATIONS / 5); i++) {
      byte[] seed = files.get(rnd.nextInt(files.size()));
      byte[] b = seed.clone();
      for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
        int at = rnd.nextInt(Math.min(b.length, rnd.nextBoolean() ? 64 : b.length));
        b[at] = (byte) rnd.nextInt(256); // the headers (first 64 bytes) half of the time
      }
      if (rnd.nextInt(4) == 0) {
        b = Arrays.copyOf(b, rnd.nextInt(b.length));
      }
      Path f = tmp.resolve("fuzz-" + i + ".pcap");
      Files.write(f, b);
      FlowPipeline pipeline =
          new FlowPipeline(FlowConfig.defaults().withDecapsulate(true), r -> {}, null);
      try (CaptureFile c = CaptureFiles.open(f.toString())) {
        c.run(pipeline);
      } catch (CaptureException e) {
        String m = e.getMessage();
        if (m == null || !m.startsWith(f.toString()) || m.contains("\n")) {
          fail("mutant " + i + " (seed " + SEED + "): " + m, e);
        }
      } catch (RuntimeException e) {
        fail("mutant " + i + " (seed " + SEED + ") of a capture file", e);
      }
      pipeline.flush();
    }
  }

  /**
   * Damage like the wire's and an attacker's: random bytes, the values that sit on length and flag
   * boundaries, cuts, growth, and a piece of another packet spliced in.
   */
  static byte[] mutate(byte[] seed, byte[] other, Random rnd) {
    byte[] b = seed.clone();
    int n = 1 + rnd.nextInt(4);
    for (int k = 0; k < n && b.length > 0; k++) {
      int at = rnd.nextInt(b.length);
      switch (rnd.nextInt(6)) {
        case 0 -> b[at] = (byte) rnd.nextInt(256);
        case 1 -> b[at] = (byte) new int[] {0, 1, 0x7f, 0x80, 0xff, 0x40, 0x3f, 8}[rnd.nextInt(8)];
        case 2 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
        case 3 -> b = Arrays.copyOf(b, at);
        case 4 -> b = Arrays.copyOf(b, b.length + rnd.nextInt(64));
        default -> {
          if (other.length > 0) {
            int from = rnd.nextInt(other.length);
            int len = Math.min(other.length - from, Math.min(b.length - at, 1 + rnd.nextInt(32)));
            System.arraycopy(other, from, b, at, len);
          }
        }
      }
    }
    return b;
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }
}
