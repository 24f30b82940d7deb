package dev.egret.flow;

import dev.egret.decode.DecodedPacket;
import dev.egret.decode.HostNames;
import dev.egret.decode.QuicInitial;
import dev.egret.decode.TlsClientHello;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the names behind addresses in payloads: DNS responses (UDP and single-segment TCP, from
 * port 53), the TLS ClientHello server name and the HTTP/1.x Host header in the first payload a
 * client sends, and the server name in a QUIC client's Initial packets ({@link QuicInitial}). Only
 * the first {@value #CLIENT_SEGMENTS} payload segments or datagrams of a flow's initiator are
 * looked at; a ClientHello split over segments or packets is buffered, at most {@value #MAX_HELLO}
 * bytes for at most {@value #MAX_PENDING} flows at once.
 *
 * <p>TLS that starts after a plaintext exchange is found too: on the well-known STARTTLS ports
 * (SMTP 25 and 587, POP3 110, IMAP 143, FTP 21 with {@code AUTH TLS}, LDAP 389 with the StartTLS
 * extended operation, XMPP 5222) and after an HTTP {@code CONNECT}, each of the client's first
 * {@value #STARTTLS_SEGMENTS} payload segments is checked for the start of a ClientHello. A segment
 * is only scanned at its start, so this costs a few header checks per segment, no copy.
 */
final class NameTap {
  static final int CLIENT_SEGMENTS = 4;
  static final int STARTTLS_SEGMENTS = 8;
  static final int MAX_HELLO = 16 * 1024;
  static final int MAX_PENDING = 1024;
  private static final int DNS_PORT = 53;

  /** Per-flow states kept in the tracker's spare byte. */
  private static final byte UNSEEN = 0;

  private static final byte DONE = 1;
  private static final byte BUFFERING = 2;

  /** Plaintext so far on a connection that may switch to TLS (STARTTLS, HTTP CONNECT). */
  private static final byte PLAINTEXT = 3;

  private final NameObserver observer;

  /**
   * Where DNS messages go as bytes: a {@link BackgroundObserver}, to be read on its receiving
   * thread (reading them took a sixth of the packet loop's time on the bench capture, 142,490
   * responses in 3.5 M packets), or a {@link DnsReader} that reads them here.
   */
  private final DnsMessages dns;

  /** TLS server names and HTTP hosts, a name met lately the same string. */
  private final HostNames hosts = new HostNames();

  /** Partial ClientHellos by flow id, oldest first so the oldest is dropped when full. */
  private final Map<Long, byte[]> pending =
      new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> e) {
          return size() > MAX_PENDING;
        }
      };

  /** QUIC connections whose ClientHello is still being collected, by flow id. */
  private final Map<Long, QuicInitial> quic =
      new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, QuicInitial> e) {
          return size() > MAX_PENDING;
        }
      };

  NameTap(NameObserver observer) {
    this.observer = observer;
    this.dns = observer instanceof BackgroundObserver b ? b : new DnsReader(observer);
  }

  void onPacket(DecodedPacket p, FlowTracker tracker) {
    int slot = tracker.lastSlot();
    if (slot < 0 || p.payloadLen == 0) {
      return;
    }
    if (p.srcPort == DNS_PORT && (p.isUdp() || p.isTcp())) {
      dns.dnsMessage(
          p.tsNanos,
          p.dstHi,
          p.dstLo,
          p.srcHi,
          p.srcLo,
          p.buf,
          p.payloadOff,
          p.payloadLen,
          p.isTcp());
      return;
    }
    if (p.isUdp() && tracker.lastFromInitiator()) {
      quicPayload(p, tracker, slot);
      return;
    }
    if (!p.isTcp() || !tracker.lastFromInitiator()) {
      return;
    }
    byte state = tracker.tapState(slot);
    int segments =
        startTlsPort(p.dstPort) || state == PLAINTEXT ? STARTTLS_SEGMENTS : CLIENT_SEGMENTS;
    if (state == DONE || tracker.initiatorPayloadPackets(slot) > segments) {
      if (state == BUFFERING) {
        pending.remove(tracker.flowId(slot));
      }
      if (state != DONE) {
        tracker.setTapState(slot, DONE);
      }
      return;
    }
    if (state == UNSEEN) {
      firstPayload(p, tracker, slot);
    } else if (state == PLAINTEXT) {
      afterPlaintext(p, tracker, slot);
    } else {
      morePayload(p, tracker, slot);
    }
  }

  /** Ports where a client's plaintext may be followed by a TLS handshake (STARTTLS and kin). */
  static boolean startTlsPort(int port) {
    return switch (port) {
      case 21, 25, 110, 143, 389, 587, 5222 -> true;
      default -> false;
    };
  }

  /** An HTTP CONNECT request: the tunnel it opens usually carries TLS. */
  private static boolean httpConnect(byte[] b, int off, int len) {
    return len >= 8
        && b[off] == 'C'
        && b[off + 1] == 'O'
        && b[off + 2] == 'N'
        && b[off + 3] == 'N'
        && b[off + 4] == 'E'
        && b[off + 5] == 'C'
        && b[off + 6] == 'T'
        && b[off + 7] == ' ';
  }

  /** A client segment after plaintext: a ClientHello starts here, or the plaintext goes on. */
  private void afterPlaintext(DecodedPacket p, FlowTracker tracker, int slot) {
    int r = TlsClientHello.scan(p.buf, p.payloadOff, p.payloadLen);
    if (r == TlsClientHello.SNI) {
      report(p, tracker, slot, hosts.serverName(p.buf, p.payloadOff, p.payloadLen));
    } else if (r > 0 && r <= MAX_HELLO) {
      pending.put(
          tracker.flowId(slot),
          Arrays.copyOfRange(p.buf, p.payloadOff, p.payloadOff + p.payloadLen));
      tracker.setTapState(slot, BUFFERING);
    } else if (r != TlsClientHello.NOT_TLS) {
      tracker.setTapState(slot, DONE); // TLS without a server name, or a broken hello
    }
  }

  private void firstPayload(DecodedPacket p, FlowTracker tracker, int slot) {
    int r = TlsClientHello.scan(p.buf, p.payloadOff, p.payloadLen);
    if (r == TlsClientHello.SNI) {
      report(p, tracker, slot, hosts.serverName(p.buf, p.payloadOff, p.payloadLen));
      return;
    }
    if (r > 0 && r <= MAX_HELLO) {
      pending.put(
          tracker.flowId(slot),
          Arrays.copyOfRange(p.buf, p.payloadOff, p.payloadOff + p.payloadLen));
      tracker.setTapState(slot, BUFFERING);
      return;
    }
    tracker.setTapState(slot, DONE);
    if (r == TlsClientHello.NOT_TLS) {
      String host = hosts.httpHost(p.buf, p.payloadOff, p.payloadLen);
      if (host != null) {
        observer.serverName(p.tsNanos, tracker.key(slot), host, NameObserver.Source.HTTP_HOST);
      }
      if (startTlsPort(p.dstPort) || httpConnect(p.buf, p.payloadOff, p.payloadLen)) {
        tracker.setTapState(slot, PLAINTEXT);
      }
    }
  }

  private void morePayload(DecodedPacket p, FlowTracker tracker, int slot) {
    long id = tracker.flowId(slot);
    byte[] have = pending.get(id);
    if (have == null) {
      tracker.setTapState(slot, DONE);
      return;
    }
    int n = Math.min(p.payloadLen, MAX_HELLO - have.length);
    byte[] joined = Arrays.copyOf(have, have.length + n);
    System.arraycopy(p.buf, p.payloadOff, joined, have.length, n);
    int r = TlsClientHello.scan(joined, 0, joined.length);
    if (r > 0 && r <= MAX_HELLO && joined.length < MAX_HELLO) {
      pending.put(id, joined);
      return;
    }
    pending.remove(id);
    if (r == TlsClientHello.SNI) {
      report(p, tracker, slot, hosts.serverName(joined, 0, joined.length));
    } else {
      tracker.setTapState(slot, DONE);
    }
  }

  /** A client datagram: the first ones of a QUIC connection carry its ClientHello. */
  private void quicPayload(DecodedPacket p, FlowTracker tracker, int slot) {
    byte state = tracker.tapState(slot);
    long id = tracker.flowId(slot);
    if (state == DONE || tracker.initiatorPayloadPackets(slot) > CLIENT_SEGMENTS) {
      if (state == BUFFERING) {
        quic.remove(id);
        tracker.setTapState(slot, DONE);
      }
      return;
    }
    QuicInitial q = state == BUFFERING ? quic.get(id) : null;
    if (q == null) {
      if (state == BUFFERING || !QuicInitial.looksLikeInitial(p.buf, p.payloadOff, p.payloadLen)) {
        tracker.setTapState(slot, DONE);
        return;
      }
      q = new QuicInitial();
    }
    q.offer(p.buf, p.payloadOff, p.payloadLen);
    if (q.done()) {
      quic.remove(id);
      report(p, tracker, slot, q.serverName());
    } else {
      quic.put(id, q);
      tracker.setTapState(slot, BUFFERING);
    }
  }

  private void report(DecodedPacket p, FlowTracker tracker, int slot, String name) {
    tracker.setTapState(slot, DONE);
    if (name != null) {
      observer.serverName(p.tsNanos, tracker.key(slot), name, NameObserver.Source.SNI);
    }
  }
}
