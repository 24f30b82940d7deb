package dev.egret.flow;

import dev.egret.decode.DnsMessage;

/**
 * Reads the DNS messages a server sent a client and tells a {@link NameObserver} the questions and
 * answers in them, with one reusable {@link DnsMessage} parser (its name cache makes a name seen
 * again the same string). Not thread-safe: {@link NameTap} keeps one on the packet loop's thread, a
 * {@link BackgroundObserver} one on its receiving thread, where it reads the messages the tap
 * handed on as bytes.
 */
final class DnsReader implements DnsMessage.DnsSink, DnsMessages {
  private final NameObserver observer;
  private final DnsMessage parser = new DnsMessage();
  private long ts;
  private long clientHi;
  private long clientLo;
  private long serverHi;
  private long serverLo;

  DnsReader(NameObserver observer) {
    this.observer = observer;
  }

  /** Reads one message now. */
  @Override
  public void dnsMessage(
      long tsNanos,
      long cHi,
      long cLo,
      long sHi,
      long sLo,
      byte[] b,
      int off,
      int len,
      boolean tcp) {
    ts = tsNanos;
    clientHi = cHi;
    clientLo = cLo;
    serverHi = sHi;
    serverLo = sLo;
    if (tcp) {
      parser.tcp(b, off, len, this);
    } else {
      parser.response(b, off, len, this);
    }
  }

  @Override
  public void question(String qname, int qtype, int rcode) {
    observer.dnsQuestion(ts, clientHi, clientLo, qname, qtype, rcode);
  }

  @Override
  public void answer(String qname, long addrHi, long addrLo, long ttl) {
    observer.dnsAnswerFrom(ts, clientHi, clientLo, serverHi, serverLo, qname, addrHi, addrLo, ttl);
  }
}
