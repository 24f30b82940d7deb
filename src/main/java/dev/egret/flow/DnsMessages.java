package dev.egret.flow;

/**
 * Takes the DNS messages a server sent a client, as bytes: a {@link DnsReader} reads them where
 * they arrive, a {@link BackgroundObserver} copies them to read on its receiving thread.
 */
interface DnsMessages {
  /**
   * One message: a UDP payload, or with {@code tcp} a TCP segment's (length-prefixed messages, RFC
   * 1035 4.2.2); {@code b[off..off+len)} is valid only during the call.
   */
  void dnsMessage(
      long tsNanos,
      long clientHi,
      long clientLo,
      long serverHi,
      long serverLo,
      byte[] b,
      int off,
      int len,
      boolean tcp);
}
