package dev.egret.logs;

import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.FlowState;
import dev.egret.flow.InitiatorRule;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes flows as a Zeek conn.log (TSV, the columns of Zeek 6+ including {@code ip_proto}), so that
 * the same traffic exists as a capture and as the log a Zeek sensor would have written: the input
 * of the log benchmarks and of tests that compare the two. The reverse of {@link ZeekConn}: refused
 * TCP is {@code REJ}, never answered {@code S0}, answered {@code S1} (TCP not closed) or {@code
 * SF}, a TCP flow picked up without its SYN {@code OTH}; {@code history} is a plausible letter
 * sequence for that state ({@code ^} where egret inferred the initiator from ports). A UDP flow
 * refused by an ICMP unreachable is {@code S0}, as Zeek logs it. {@code orig_bytes} and {@code
 * resp_bytes} (payload bytes) are unset: egret counts IP bytes, which are written. Deterministic:
 * uids count up from {@code C0}.
 */
public final class ZeekConnWriter implements FlowSink {
  static final String HEADER =
      "#separator \\x09\n"
          + "#set_separator\t,\n"
          + "#empty_field\t(empty)\n"
          + "#unset_field\t-\n"
          + "#path\tconn\n"
          + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice"
          + "\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp"
          + "\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes"
          + "\ttunnel_parents\tip_proto\n"
          + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount"
          + "\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount\n";

  private final Writer out;
  private final StringBuilder row = new StringBuilder(256);
  private long uid;

  public ZeekConnWriter(Writer out) throws IOException {
    this.out = out;
    out.write(HEADER);
  }

  @Override
  public void onFlow(FlowRecord f) {
    FlowKey k = f.key();
    StringBuilder b = row;
    b.setLength(0);
    seconds(b, f.startNanos()).append('\t');
    b.append('C').append(Long.toString(uid++, 36)).append('\t');
    Ip.appendTo(b, k.initHi(), k.initLo()).append('\t').append(k.initPort()).append('\t');
    Ip.appendTo(b, k.respHi(), k.respLo()).append('\t').append(k.respPort()).append('\t');
    int p = k.proto();
    boolean tcp = p == Protocols.TCP;
    b.append(
            switch (p) {
              case Protocols.TCP -> "tcp";
              case Protocols.UDP -> "udp";
              case Protocols.ICMP, Protocols.ICMPV6 -> "icmp";
              default -> "unknown_transport";
            })
        .append("\t-\t");
    seconds(b, f.endNanos() - f.startNanos()).append("\t-\t-\t");
    boolean answered = f.respPackets() > 0 && f.state() != FlowState.REJECTED;
    boolean midstream =
        tcp && (f.rule() == InitiatorRule.FIRST_PACKET || f.rule() == InitiatorRule.PORTS);
    String state;
    if (tcp && f.state() == FlowState.REJECTED) {
      state = "REJ";
    } else if (!answered) {
      state = midstream ? "OTH" : "S0";
    } else if (midstream) {
      state = "OTH";
    } else if (tcp && f.state() == FlowState.ESTABLISHED) {
      state = "S1";
    } else {
      state = "SF";
    }
    b.append(state).append("\t-\t-\t0\t");
    if (f.rule() == InitiatorRule.PORTS) {
      b.append('^');
    }
    if (tcp) {
      if (f.rule() == InitiatorRule.SYN) {
        b.append('S');
      }
      if (f.state() == FlowState.REJECTED) {
        b.append('r');
      } else if (answered) {
        b.append(midstream ? "Dd" : f.rule() == InitiatorRule.SYN_ACK ? "hAD" : "hADad");
        if (f.state() == FlowState.CLOSED) {
          b.append("Ff");
        }
      } else if (midstream) {
        b.append('D');
      }
    } else if (p == Protocols.UDP) {
      b.append(answered ? "Dd" : "D");
    } else {
      b.append('-');
    }
    b.append('\t').append(f.origPackets()).append('\t').append(f.origBytes());
    b.append('\t').append(f.respPackets()).append('\t').append(f.respBytes());
    b.append("\t-\t").append(p).append('\n');
    try {
      out.append(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Nanoseconds as Zeek writes times and intervals: seconds with six decimals. */
  private static StringBuilder seconds(StringBuilder b, long ns) {
    long micros = Math.floorDiv(ns, 1000L);
    long s = Math.floorDiv(micros, 1_000_000L);
    long frac = Math.floorMod(micros, 1_000_000L);
    b.append(s).append('.');
    for (long d = 100_000; d > frac && d > 1; d /= 10) {
      b.append('0');
    }
    return b.append(frac);
  }
}
