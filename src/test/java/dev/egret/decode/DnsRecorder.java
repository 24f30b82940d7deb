package dev.egret.decode;

import dev.egret.net.Ip;
import java.util.ArrayList;
import java.util.List;

/** Records callbacks as text lines: {@code Q name qtype rcode} and {@code A name addr ttl}. */
final class DnsRecorder implements DnsMessage.DnsSink {
  final List<String> lines = new ArrayList<>();

  @Override
  public void question(String qname, int qtype, int rcode) {
    lines.add("Q " + qname + " " + qtype + " " + rcode);
  }

  @Override
  public void answer(String qname, long addrHi, long addrLo, long ttl) {
    lines.add("A " + qname + " " + Ip.toString(addrHi, addrLo) + " " + ttl);
  }
}
