package dev.egret.logs;

import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import dev.egret.net.Ip;
import java.util.ArrayList;
import java.util.List;

/** Records what a log reader hands on, as text lines that tests compare. */
final class Recorder implements FlowSink, NameObserver {
  final List<FlowRecord> flows = new ArrayList<>();
  final List<String> names = new ArrayList<>();

  @Override
  public void onFlow(FlowRecord f) {
    flows.add(f);
  }

  @Override
  public void dnsAnswer(long ts, long cHi, long cLo, String name, long aHi, long aLo, long ttl) {
    names.add(
        "answer "
            + Ip.toString(cHi, cLo)
            + " "
            + name
            + " "
            + Ip.toString(aHi, aLo)
            + " ttl "
            + ttl);
  }

  @Override
  public void dnsQuestion(long ts, long cHi, long cLo, String name, int qtype, int rcode) {
    names.add(
        "question " + Ip.toString(cHi, cLo) + " " + name + " qtype " + qtype + " rcode " + rcode);
  }

  @Override
  public void serverName(long ts, FlowKey flow, String name, Source source) {
    names.add(source.label() + " " + flow.initiator() + " " + flow.responder() + " " + name);
  }

  /** A flow as one line: proto init:port > resp:port state rule out-pkts/bytes in-pkts/bytes. */
  static String line(FlowRecord f) {
    FlowKey k = f.key();
    return k.protoName()
        + " "
        + k.initiator()
        + ":"
        + k.initPort()
        + " > "
        + k.responder()
        + ":"
        + k.respPort()
        + " "
        + f.state().label()
        + " "
        + f.rule().label()
        + " "
        + f.origPackets()
        + "/"
        + f.origBytes()
        + " "
        + f.respPackets()
        + "/"
        + f.respBytes();
  }

  List<String> flowLines() {
    return flows.stream().map(Recorder::line).toList();
  }
}
