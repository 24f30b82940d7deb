package dev.egret.synth;

import java.nio.charset.StandardCharsets;

/** Turns a session's current step into one frame in the shared {@link FrameBuilder}. */
final class Emitter {
  private static final int DNS_PORT = 53;
  private static final int CLIENT_WINDOW = 502;
  private static final int SERVER_WINDOW = 501;
  private static final byte[] SSH_CLIENT =
      "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EHLO = "EHLO ws.corp.example\r\n".getBytes(StandardCharsets.US_ASCII);

  private final FrameBuilder f;
  private final DnsWriter dns = new DnsWriter();
  private final Payloads payloads;

  Emitter(FrameBuilder f, Payloads payloads) {
    this.f = f;
    this.payloads = payloads;
  }

  /** Writes the frame for {@code s}'s current step, sent at {@code now}; returns its length. */
  int emit(Session s, long now) {
    int step = s.next;
    int a = s.arg[step];
    byte[] b = f.buf;
    switch (s.op[step]) {
      case Session.DNS_QUERY -> {
        resolver(s, true);
        int off = f.udpPayloadOffset();
        int len = dns.query(b, off, dnsId(s, a), s.service.dnsName, a);
        return f.udp(s.dnsPort, DNS_PORT, len);
      }
      case Session.DNS_RESPONSE -> {
        resolver(s, false);
        int off = f.udpPayloadOffset();
        int len = dns.response(b, off, dnsId(s, a), s.service, a, s.service.ttl);
        return f.udp(DNS_PORT, s.dnsPort, len);
      }
      case Session.SYN -> {
        peer(s, true);
        int frame = f.tcp(s.clientPort, s.serverPort, s.isn, 0, FrameBuilder.TCP_SYN, 64240, 0);
        s.clientSeq = s.isn + 1;
        return frame;
      }
      case Session.SYN_ACK -> {
        peer(s, false);
        int frame =
            f.tcp(
                s.serverPort,
                s.clientPort,
                s.serverSeq,
                s.clientSeq,
                FrameBuilder.TCP_SYN | FrameBuilder.TCP_ACK,
                65160,
                0);
        s.serverSeq++;
        return frame;
      }
      case Session.CLIENT_ACK -> {
        peer(s, true);
        return clientSegment(s, FrameBuilder.TCP_ACK, 0);
      }
      case Session.SERVER_ACK -> {
        peer(s, false);
        return serverSegment(s, FrameBuilder.TCP_ACK, 0);
      }
      case Session.CLIENT_DATA -> {
        peer(s, true);
        int len = clientPayload(s, f.tcpPayloadOffset(false), a);
        s.clientSegments++;
        return clientSegment(s, FrameBuilder.TCP_PSH | FrameBuilder.TCP_ACK, len);
      }
      case Session.SERVER_DATA -> {
        peer(s, false);
        int len = serverPayload(s, f.tcpPayloadOffset(false), a);
        s.serverSegments++;
        int flags = FrameBuilder.TCP_ACK | (len < f.maxSegment() ? FrameBuilder.TCP_PSH : 0);
        return serverSegment(s, flags, len);
      }
      case Session.CLIENT_FIN -> {
        peer(s, true);
        int frame = clientSegment(s, FrameBuilder.TCP_FIN | FrameBuilder.TCP_ACK, 0);
        s.clientSeq++;
        return frame;
      }
      case Session.SERVER_FIN -> {
        peer(s, false);
        int frame = serverSegment(s, FrameBuilder.TCP_FIN | FrameBuilder.TCP_ACK, 0);
        s.serverSeq++;
        return frame;
      }
      case Session.SERVER_RST -> {
        // RFC 9293 3.10.7.1: a SYN to a closed port gets RST with ACK of the SYN, sequence 0.
        peer(s, false);
        return f.tcp(
            s.serverPort,
            s.clientPort,
            0,
            s.clientSeq,
            FrameBuilder.TCP_RST | FrameBuilder.TCP_ACK,
            0,
            0);
      }
      case Session.ECHO_REQUEST -> {
        peer(s, true);
        s.echoTime = now;
        int len = payloads.echoData(b, f.l4Offset() + 8, now);
        return f.icmpEcho(true, s.echoId, a, len);
      }
      case Session.ECHO_REPLY -> {
        peer(s, false);
        int len = payloads.echoData(b, f.l4Offset() + 8, s.echoTime);
        return f.icmpEcho(false, s.echoId, a, len);
      }
      case Session.NTP_REQUEST -> {
        peer(s, true);
        s.ntpClientTime = now;
        int len = payloads.ntp(b, f.udpPayloadOffset(), true, now, 0);
        return f.udp(s.clientPort, s.serverPort, len);
      }
      case Session.NTP_RESPONSE -> {
        peer(s, false);
        int len = payloads.ntp(b, f.udpPayloadOffset(), false, now, s.ntpClientTime);
        return f.udp(s.serverPort, s.clientPort, len);
      }
      case Session.UPSTREAM_QUERY -> {
        peer(s, true);
        int len = dns.query(b, f.udpPayloadOffset(), dnsId(s, a), s.service.dnsName, a);
        return f.udp(s.clientPort, DNS_PORT, len);
      }
      case Session.UPSTREAM_RESPONSE -> {
        peer(s, false);
        int len = dns.response(b, f.udpPayloadOffset(), dnsId(s, a), s.service, a, s.service.ttl);
        return f.udp(DNS_PORT, s.clientPort, len);
      }
      case Session.UDP_CLIENT -> {
        peer(s, true);
        payloads.noise(b, f.udpPayloadOffset(), a);
        return f.udp(s.clientPort, s.serverPort, a);
      }
      case Session.UDP_SERVER -> {
        peer(s, false);
        payloads.noise(b, f.udpPayloadOffset(), a);
        return f.udp(s.serverPort, s.clientPort, a);
      }
      default -> throw new IllegalStateException("unknown session step " + s.op[step]);
    }
  }

  private int clientSegment(Session s, int flags, int len) {
    int frame =
        f.tcp(s.clientPort, s.serverPort, s.clientSeq, s.serverSeq, flags, CLIENT_WINDOW, len);
    s.clientSeq += len;
    return frame;
  }

  private int serverSegment(Session s, int flags, int len) {
    int frame =
        f.tcp(s.serverPort, s.clientPort, s.serverSeq, s.clientSeq, flags, SERVER_WINDOW, len);
    s.serverSeq += len;
    return frame;
  }

  private int clientPayload(Session s, int off, int len) {
    byte[] b = f.buf;
    if (s.clientSegments == 0) {
      switch (s.app) {
        case Session.APP_TLS -> {
          return payloads.clientHello(b, off, s.service.host, !s.inbound);
        }
        case Session.APP_HTTP -> {
          return payloads.httpRequest(b, off, s.service.host);
        }
        case Session.APP_BANNER -> {
          return Payloads.copy(b, off, s.serverPort == 22 ? SSH_CLIENT : EHLO) - off;
        }
        default -> {}
      }
    }
    if (s.app == Session.APP_TLS) {
      return payloads.appData(b, off, len);
    }
    payloads.noise(b, off, len);
    return len;
  }

  private int serverPayload(Session s, int off, int len) {
    byte[] b = f.buf;
    boolean first = s.serverSegments == 0;
    switch (s.app) {
      case Session.APP_TLS -> {
        return first ? payloads.serverFlight(b, off, len) : payloads.appData(b, off, len);
      }
      case Session.APP_HTTP -> {
        if (first) {
          int head = payloads.httpResponseHead(b, off, s.httpBody);
          payloads.noise(b, off + head, len - head);
          return len;
        }
      }
      case Session.APP_BANNER -> {
        if (first) {
          return Payloads.copy(b, off, s.service.banner) - off;
        }
      }
      default -> {}
    }
    payloads.noise(b, off, len);
    return len;
  }

  /** Sets up the frame between the host and its resolver. */
  private void resolver(Session s, boolean fromHost) {
    f.vlan = s.vlan;
    f.v6 = s.v6;
    f.ttl = 64;
    long hostMac = Catalog.hostMac(s.host);
    int host4 = s.inbound ? s.server4 : s.client4;
    long hostLo = s.inbound ? s.serverLo : s.clientLo;
    if (fromHost) {
      f.srcMac = hostMac;
      f.dstMac = Catalog.RESOLVER_MAC;
      f.src4 = host4;
      f.dst4 = Catalog.RESOLVER_V4;
      f.srcHi = Catalog.INTERNAL_V6_HI;
      f.srcLo = hostLo;
      f.dstHi = Catalog.INTERNAL_V6_HI;
      f.dstLo = Catalog.RESOLVER_V6_LO;
      f.ipId = s.clientIpId++ & 0xffff;
    } else {
      f.srcMac = Catalog.RESOLVER_MAC;
      f.dstMac = hostMac;
      f.src4 = Catalog.RESOLVER_V4;
      f.dst4 = host4;
      f.srcHi = Catalog.INTERNAL_V6_HI;
      f.srcLo = Catalog.RESOLVER_V6_LO;
      f.dstHi = Catalog.INTERNAL_V6_HI;
      f.dstLo = hostLo;
      f.ipId = s.resolverIpId++ & 0xffff;
    }
  }

  /** Sets up the frame between client and server; the capture sits at the LAN's gateway. */
  private void peer(Session s, boolean fromClient) {
    f.vlan = s.vlan;
    f.v6 = s.v6;
    boolean fromInternal = fromClient != s.inbound;
    long hostMac = Catalog.hostMac(s.host);
    f.srcMac = fromInternal ? hostMac : Catalog.GATEWAY_MAC;
    f.dstMac = fromInternal ? Catalog.GATEWAY_MAC : hostMac;
    f.ttl = fromInternal ? 64 : s.remoteTtl;
    if (fromClient) {
      f.src4 = s.client4;
      f.dst4 = s.server4;
      f.srcHi = s.clientHi;
      f.srcLo = s.clientLo;
      f.dstHi = s.serverHi;
      f.dstLo = s.serverLo;
      f.ipId = s.clientIpId++ & 0xffff;
    } else {
      f.src4 = s.server4;
      f.dst4 = s.client4;
      f.srcHi = s.serverHi;
      f.srcLo = s.serverLo;
      f.dstHi = s.clientHi;
      f.dstLo = s.clientLo;
      f.ipId = s.serverIpId++ & 0xffff;
    }
  }

  private static int dnsId(Session s, int qtype) {
    return (s.dnsId + (qtype == DnsWriter.TYPE_AAAA ? 1 : 0)) & 0xffff;
  }
}
