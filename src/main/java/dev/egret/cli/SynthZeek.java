package dev.egret.cli;

import dev.egret.flow.FlowConfig;
import dev.egret.flow.FlowPipeline;
import dev.egret.io.AtomicFile;
import dev.egret.io.PcapWriter;
import dev.egret.logs.ZeekConnWriter;
import dev.egret.synth.SynthOptions;
import dev.egret.synth.TrafficGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code egret synth --zeek}: the generated frames go to the pcap and, through egret's flow
 * tracker, to a Zeek conn.log, so that the same traffic exists in both forms (the log benchmark
 * compares {@code learn} on each).
 */
final class SynthZeek {
  private SynthZeek() {}

  static TrafficGenerator.Summary write(
      SynthOptions options, String pcap, PcapWriter.Precision precision, Path connLog)
      throws IOException {
    TrafficGenerator.Summary[] summary = new TrafficGenerator.Summary[1];
    AtomicFile.write(
        connLog,
        out -> {
          BufferedWriter text =
              new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
          ZeekConnWriter conn = new ZeekConnWriter(text);
          FlowPipeline flows = new FlowPipeline(FlowConfig.defaults(), conn, null);
          try (PcapWriter w = PcapWriter.open(pcap, PcapWriter.LINKTYPE_ETHERNET, precision)) {
            summary[0] =
                new TrafficGenerator(options)
                    .run(
                        (t, frame, len) -> {
                          w.write(t, frame, 0, len);
                          flows.onPacket(PcapWriter.LINKTYPE_ETHERNET, t, frame, 0, len, len);
                        });
            flows.flush();
            w.commit();
          }
          text.flush();
        });
    return summary[0];
  }
}
