package dev.egret.flow;

/**
 * Receives the names behind addresses as they are seen on the wire. All names are
 * attacker-controlled text, already bounded and escaped into printable ASCII by the decoders.
 */
public interface NameObserver {
  /** Where a name was learned. */
  enum Source {
    DNS,
    SNI,
    HTTP_HOST;

    public String label() {
      return switch (this) {
        case DNS -> "dns";
        case SNI -> "sni";
        case HTTP_HOST -> "http-host";
      };
    }
  }

  /**
   * A DNS response told {@code client} that {@code name} (the name it asked for, after CNAMEs) has
   * address {@code addrHi/addrLo}.
   */
  void dnsAnswer(
      long tsNanos,
      long clientHi,
      long clientLo,
      String name,
      long addrHi,
      long addrLo,
      long ttlSeconds);

  /**
   * {@link #dnsAnswer}, with the server the response came from. An observer that decides whose
   * answers to believe (the DNS-aware check) overrides it; for the others it is {@link #dnsAnswer}.
   */
  default void dnsAnswerFrom(
      long tsNanos,
      long clientHi,
      long clientLo,
      long serverHi,
      long serverLo,
      String name,
      long addrHi,
      long addrLo,
      long ttlSeconds) {
    dnsAnswer(tsNanos, clientHi, clientLo, name, addrHi, addrLo, ttlSeconds);
  }

  /** {@code client} asked for {@code name}; {@code rcode} is the response code (3 = NXDOMAIN). */
  void dnsQuestion(long tsNanos, long clientHi, long clientLo, String name, int qtype, int rcode);

  /** The client of a flow named its server: TLS SNI or HTTP Host. */
  void serverName(long tsNanos, FlowKey flow, String name, Source source);
}
