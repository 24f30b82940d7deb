package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.testutil.SharedPcaps;
import org.junit.jupiter.api.Test;

/** {@code egret flows} over captures whose datagrams were fragmented or tunnelled on the way. */
class FragmentsAndTunnelsCliTest {
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

  @Test
  void tunnelsAreOpenedOnlyWithDecapsulate() {
    String f = SharedPcaps.file("real/zeek/tunnels/vxlan.pcap").toString();
    Cli plain = Cli.run("flows", f);
    assertEquals(0, plain.rc(), plain.err());
    assertTrue(!plain.out().contains(",10.0.0.1,"), plain.out());
    Cli open = Cli.run("flows", "--decapsulate", f);
    assertEquals(0, open.rc(), open.err());
    assertTrue(open.out().contains(",icmp,10.0.0.1,8,10.0.0.2,0,"), open.out());
    assertTrue(open.out().contains(",udp,192.168.56.11,"), "the carrier stays: " + open.out());
    assertTrue(open.err().contains("egret: tunnels: "), open.err());
  }
}
