package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * tcpdump writing an NFLOG group of a namespace to a capture while a test's traffic runs: started
 * and listening before the traffic, stopped once the file holds the records expected (the kernel
 * hands NFLOG records over in batches, at the latest after a second; bounded at 5 s).
 */
final class NflogCapture {
  /** Traffic that may throw. */
  interface Work {
    void run() throws Exception;
  }

  private NflogCapture() {}

  /**
   * Runs {@code work} while NFLOG group {@code group} of {@code netns} goes to {@code pcap}, then
   * waits for {@code records} records (an NFLOG record of a SYN with its prefix is over 100 bytes).
   */
  static void during(String netns, int group, Path pcap, int records, Work work) throws Exception {
    Process tcpdump =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                netns,
                "tcpdump",
                "-i",
                "nflog:" + group,
                "-U",
                "-w",
                pcap.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader td =
          new BufferedReader(
              new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.UTF_8));
      String first = td.readLine();
      assertTrue(
          first != null && first.contains("listening on nflog:" + group), "tcpdump: " + first);
      work.run();
      for (int i = 0; i < 50 && Files.size(pcap) < 24 + records * 100L; i++) {
        Thread.sleep(100);
      }
    } finally {
      tcpdump.destroy();
      assertTrue(tcpdump.waitFor(10, TimeUnit.SECONDS));
    }
  }
}
