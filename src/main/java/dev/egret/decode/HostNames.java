package dev.egret.decode;

/**
 * The {@link NameText} form of the host names one thread reads from TLS server names and HTTP
 * hosts, a name met lately given as the same {@link String}: per flow, the name's octets are hashed
 * and compared instead of escaped into a new string (a TLS or HTTP flow's name took a third of the
 * name tap's time on the bench capture, where a few dozen names recur). A {@link NameCache} keyed
 * by the octets as they came, bounded whatever the input; not shared between threads.
 */
public final class HostNames {
  private final NameCache cache = new NameCache();

  /** {@link NameText#host}{@code (b, off, len)}. */
  String host(byte[] b, int off, int len) {
    return cache.host(b, off, len);
  }

  /** {@link TlsClientHello#serverName}, the name through this cache. */
  public String serverName(byte[] b, int off, int len) {
    return TlsClientHello.serverName(b, off, len, this);
  }

  /** {@link HttpRequest#host}, the name through this cache. */
  public String httpHost(byte[] b, int off, int len) {
    return HttpRequest.host(b, off, len, this);
  }
}
