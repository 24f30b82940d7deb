package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.testutil.SharedPcaps;
import org.junit.jupiter.api.Test;

/** {@code egret flows} over captures whose datagrams were fragmented on the way. */
class FragmentedCaptureTest {
  @Test
  void aSynInThreeFragmentsIsOneFlowWithItsPorts() {
    String f =
        SharedPcaps.file("real/suricata-verify/bug-6887-defrag-ipv4-tcp-syn.pcap").toString();
    Cli r = Cli.run("flows", f);
    assertEquals(0, r.rc(), r.err());
    assertTrue(r.out().contains(",tcp,1.1.1.1,12345,2.2.2.2,8080,attempted,syn,1,44,0,0"), r.out());
    assertTrue(
        r.err().contains("egret: fragmented datagrams: 1 reassembled, 0 incomplete"), r.err());
  }

  @Test
  void aDnsAnswerMissingAFragmentIsCountedIncomplete() {
    String f = SharedPcaps.file("real/zeek/ipv6-fragmented-dns.pcap").toString();
    Cli r = Cli.run("flows", f);
    assertEquals(0, r.rc(), r.err());
    assertTrue(
        r.err().contains("egret: fragmented datagrams: 1 reassembled, 1 incomplete"), r.err());
  }
}
