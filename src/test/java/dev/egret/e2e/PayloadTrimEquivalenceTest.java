package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.capture.CaptureException;
import dev.egret.capture.CaptureFiles;
import dev.egret.capture.PacketPrefetch;
import dev.egret.capture.PacketSource;
import dev.egret.capture.PayloadTrim;
import dev.egret.cli.Egret;
import dev.egret.flow.FlowConfig;
import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowPipeline;
import dev.egret.flow.NameObserver;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packets delivered without their payload ({@link PayloadTrim}) change nothing the flow stage
 * produces: every flow record, every name and DNS answer, every decode and flow counter is the same
 * as with every packet whole, for every public capture and for synthetic ones where most packets
 * are cut, with the default flow table and with a tiny one that ends flows early all the time.
 */
class PayloadTrimEquivalenceTest {
  @TempDir Path dir;

  /** Everything the pipeline told its sinks, in order, as text; and how many packets were cut. */
  private record Seen(List<String> events, String stats, long cut) {}

  private static Seen replay(Path capture, FlowConfig config, boolean trim) throws IOException {
    List<String> events = new ArrayList<>();
    NameObserver names =
        new NameObserver() {
          @Override
          public void dnsAnswer(
              long ts, long cHi, long cLo, String name, long aHi, long aLo, long ttl) {
            events.add("answer " + ts + " " + cHi + " " + cLo + " " + name + " " + aHi + " " + aLo);
          }

          @Override
          public void dnsQuestion(long ts, long cHi, long cLo, String name, int qtype, int rcode) {
            events.add("question " + ts + " " + cLo + " " + name + " " + qtype + " " + rcode);
          }

          @Override
          public void serverName(long ts, FlowKey flow, String name, Source source) {
            events.add("name " + ts + " " + flow + " " + name + " " + source);
          }
        };
    FlowPipeline pipeline = new FlowPipeline(config, f -> events.add("flow " + f), names);
    PayloadTrim rules =
        trim
            ? PayloadTrim.forFlowTable(
                config.tcpIdleNanos(),
                Math.max(
                    Math.max(config.tcpIdleNanos(), config.udpIdleNanos()),
                    Math.max(config.icmpIdleNanos(), config.closeLingerNanos())),
                config.maxFlows() - config.maxFlows() / 10,
                config.decapsulate())
            : null;
    try (PacketSource s = CaptureFiles.openDirect(capture.toString())) {
      PacketPrefetch.run(s, pipeline, rules, null);
      pipeline.flush();
      return new Seen(
          events,
          s.stats()
              + " "
              + pipeline.decodeStats().nonZero()
              + " "
              + pipeline.flowStats()
              + " "
              + s.problem(),
          rules == null ? 0 : rules.cut());
    }
  }

  private static void same(Path capture, FlowConfig config) throws IOException {
    Seen whole = replay(capture, config, false);
    Seen cut = replay(capture, config, true);
    assertEquals(whole.stats(), cut.stats(), "counters of " + capture);
    assertEquals(whole.events().size(), cut.events().size(), "events of " + capture);
    for (int i = 0; i < whole.events().size(); i++) {
      assertEquals(whole.events().get(i), cut.events().get(i), "event " + i + " of " + capture);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyPublicCaptureLearnsTheSameCut() throws IOException {
    Path root = SharedPcaps.dir();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
              .sorted()
              .collect(Collectors.toList());
    }
    assertTrue(files.size() > 200, "expected the whole corpus, found " + files.size());
    return files.stream()
        .map(
            p ->
                DynamicTest.dynamicTest(
                    root.relativize(p).toString(),
                    () -> {
                      try {
                        same(p, FlowConfig.defaults());
                        same(p, FlowConfig.defaults().withMaxFlows(16));
                      } catch (CaptureException e) {
                        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
                      }
                    }));
  }

  @Test
  void aSyntheticSiteLearnsTheSameWithMostPacketsCut() throws IOException {
    Path pcap = dir.resolve("site.pcap");
    StringWriter err = new StringWriter();
    int rc =
        Egret.run(
            new String[] {"synth", "-o", pcap.toString(), "--packets", "60000", "--seed", "3"},
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(0, rc, err.toString());
    same(pcap, FlowConfig.defaults());
    Seen cut = replay(pcap, FlowConfig.defaults(), true);
    assertTrue(cut.cut() > 10_000, cut.cut() + " of 60000 packets cut");
    assertTrue(cut.events().stream().anyMatch(e -> e.startsWith("name ")), "no SNI or Host seen");
    // a table of 16 flows ends flows early all the time: nothing may be cut then
    same(pcap, FlowConfig.defaults().withMaxFlows(16));
    assertEquals(0, replay(pcap, FlowConfig.defaults().withMaxFlows(16), true).cut());
    // short idle timeouts end and restart connections mid-stream
    FlowConfig quick = new FlowConfig(2_000_000_000L, 1_000_000_000L, 1_000_000_000L, 0L, 1 << 20);
    same(pcap, quick);
  }
}
