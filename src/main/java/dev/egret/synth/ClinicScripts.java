package dev.egret.synth;

import static dev.egret.synth.Scripts.MS;
import static dev.egret.synth.Scripts.SEC;
import static dev.egret.synth.Scripts.US;

import dev.egret.net.Ip;
import dev.egret.synth.ClinicPlanner.Kind;
import dev.egret.synth.ClinicPlanner.Visit;
import dev.egret.synth.Labels.Direction;
import dev.egret.synth.SiteWorld.Host;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The script of each clinic conversation ({@link ClinicPlanner.Visit}) and its labels: short TLS
 * and HTTP through {@link Scripts}, and what the clinic needs besides: long-lived TLS (MQTT, SIP
 * over TLS, a shell), bulk uploads (backups, clips, exfiltration), opaque TCP exchanges (HL7 over
 * MLLP, printing, SMB), UDP exchanges egret does not parse (SIP, RTP, RTCP), probes that go
 * unanswered or are refused, NTP from port 123 or an ephemeral one, and DNS upstream or to an
 * outside resolver. A lookup is labelled with its visit: legitimate, an attack's, or the tunnel.
 */
final class ClinicScripts {
  private static final String RESOLVER_V6 =
      Ip.toString(Catalog.INTERNAL_V6_HI, Catalog.RESOLVER_V6_LO);

  private final Scripts scripts;
  private final Labels labels;

  /** Each device's next source port. */
  private final int[] nextPort;

  ClinicScripts(ClinicWorld world, Scripts scripts, Labels labels) {
    this.scripts = scripts;
    this.labels = labels;
    nextPort = new int[world.hosts.size()];
    for (int i = 0; i < nextPort.length; i++) {
      nextPort[i] = scripts.ephemeral();
    }
  }

  /** A query carrying data in long random labels under one domain (RFC 1035: 63 a label). */
  static Service tunnelQuery(SplittableRandom rnd) {
    return Scripts.tunnelQuery(
        rnd, List.of("q", "syncstat", "example"), Catalog.v4(198, 51, 100, 201));
  }

  private int port(Host h) {
    int p = nextPort[h.index()];
    nextPort[h.index()] = p == 60999 ? 32768 : p + 1;
    return p;
  }

  void script(Session s, Visit v) {
    s.reset();
    s.trojan = false;
    Host h = v.host();
    scripts.host(s, h.index());
    s.vlan = -1;
    s.client4 = h.v4();
    s.clientLo = Catalog.hostV6Lo(h.index());
    s.dnsPort = port(h);
    server(s, v);
    Kind kind = v.kind();
    if (v.resolve()) {
      scripts.lookup(s);
      String resolver = s.v6 ? RESOLVER_V6 : Labels.text(Catalog.RESOLVER_V4);
      String behaviour =
          kind == Kind.TUNNEL
              ? kind.behaviour
              : kind.malicious() ? "attack-dns-lookup" : "dns-lookup";
      label(v, source(s), resolver, "udp", 53, behaviour, kind.malicious());
      if (kind == Kind.TUNNEL) {
        return;
      }
    }
    SplittableRandom rnd = scripts.rnd();
    String proto = "tcp";
    switch (kind) {
      case PRACTICE,
              PRACTICE_API,
              PAYMENT,
              TMS,
              PRINTER_CLOUD,
              PROVISION,
              WIN_UPDATE,
              DEFENDER,
              SUITE,
              SUITE_LOGIN,
              MAC_UPDATE,
              NAS_UPDATE,
              ROUTER_UPDATE,
              BEACON,
              RAW_TLS,
              SPOOFED_SNI ->
          scripts.tcp(s, Session.APP_TLS, 443);
      case BROWSE, BROWSE_NEW -> {
        boolean http = rnd.nextDouble() < 0.1;
        scripts.tcp(s, http ? Session.APP_HTTP : Session.APP_TLS, http ? 80 : 443);
      }
      case BACKUP -> upload(s, 443, 150 + rnd.nextInt(91), (5 + rnd.nextInt(21)) * SEC);
      case EXFIL -> upload(s, 443, 200, (1 + rnd.nextInt(3)) * SEC);
      case CAMERA_UPLOAD -> upload(s, 443, 20 + rnd.nextInt(41), (50 + rnd.nextInt(150)) * MS);
      case MQTT -> longTls(s, 8883, (int) (v.length() / (60 * SEC)), 60 * SEC);
      case SIP_TLS ->
          longTls(s, ClinicWorld.SIP_TLS_PORT, (int) (v.length() / (90 * SEC)), 90 * SEC);
      case SHELL -> longTls(s, 443, 120, 3 * SEC);
      case HL7 -> exchange(s, ClinicWorld.HL7_PORT, 1 + rnd.nextInt(3), 200 * MS);
      case PRINT -> exchange(s, 9100, 3 + rnd.nextInt(18), 20 * MS);
      case SMB -> exchange(s, 445, 2 + rnd.nextInt(9), 20 * MS);
      case MIRAI_C2 -> exchange(s, ClinicAttacks.C2_PORT, 1 + rnd.nextInt(2), 2 * SEC);
      case MIRAI_SCAN, SMB_SWEEP -> probe(s, v.port());
      case SOURCE_PORT -> {
        if (v.sourcePort() == 443) {
          exchange(s, v.port(), 5, SEC);
        } else {
          datagrams(s, v.port(), 20, 400, 2 * SEC);
          proto = "udp";
        }
      }
      case SIP_REGISTER -> {
        datagrams(s, ClinicWorld.SIP_PORT, 2, 600, 5 * MS);
        proto = "udp";
      }
      case SIP_CALL, TOLL_SIP -> {
        datagrams(s, ClinicWorld.SIP_PORT, 1 + rnd.nextInt(3), 900, 300 * MS);
        proto = "udp";
      }
      case RTP, TOLL_MEDIA -> {
        media(s, v.port(), v.length(), 3 * SEC);
        proto = "udp";
      }
      case RTCP -> {
        media(s, v.port(), v.length(), 5 * SEC);
        proto = "udp";
      }
      case NTP_POOL, NTP_WIN -> {
        s.serverPort = 123;
        s.add(Session.NTP_REQUEST, 0, 0);
        s.add(Session.NTP_RESPONSE, 0, scripts.rtt());
        proto = "udp";
      }
      case FORWARD, TUNNEL_FORWARD, ATTACK_FORWARD, OUTSIDE_DNS -> {
        s.v6 = false;
        s.serverPort = 53;
        if (kind == Kind.OUTSIDE_DNS) {
          s.add(Session.UPSTREAM_QUERY, DnsWriter.TYPE_A, 0);
          s.add(Session.UPSTREAM_RESPONSE, DnsWriter.TYPE_A, 10 * MS + scripts.rtt() / 4);
        } else {
          s.server4 = ClinicWorld.UPSTREAM_DNS[rnd.nextInt(ClinicWorld.UPSTREAM_DNS.length)];
          scripts.upstream(s);
        }
        proto = "udp";
      }
      default -> throw new IllegalStateException("unplanned " + kind);
    }
    s.clientPort = v.sourcePort() >= 0 ? v.sourcePort() : port(h);
    label(v, source(s), destination(s), proto, s.serverPort, kind.behaviour, kind.malicious());
  }

  /** The destination: a fixed address, or one of the service's, IPv6 half the time if both can. */
  private void server(Session s, Visit v) {
    Service svc = v.service();
    s.service = svc;
    s.v6 = false;
    SplittableRandom rnd = scripts.rnd();
    if (v.address() != 0) {
      s.server4 = v.address();
    } else if (svc.hasV6() && ClinicWorld.hasV6(v.host()) && rnd.nextDouble() < 0.5) {
      s.v6 = true;
      int i = rnd.nextInt(svc.v6.length / 2);
      s.serverHi = svc.v6[2 * i];
      s.serverLo = svc.v6[2 * i + 1];
    } else {
      s.server4 = svc.v4[rnd.nextInt(svc.v4.length)];
    }
  }

  /** The TCP handshake and a TLS ClientHello and server flight (RFC 8446 2). */
  private long tlsStart(Session s, int port) {
    s.app = Session.APP_TLS;
    s.serverPort = port;
    scripts.tcpStart(s);
    long rtt = scripts.rtt();
    SplittableRandom rnd = scripts.rnd();
    s.add(Session.SYN, 0, s.steps == 0 ? 0 : 300 * US);
    s.add(Session.SYN_ACK, 0, rtt);
    s.add(Session.CLIENT_ACK, 0, 40 * US);
    s.add(Session.CLIENT_DATA, 0, 150 * US);
    s.add(Session.SERVER_DATA, 1200 + rnd.nextInt(200), rtt);
    s.add(Session.CLIENT_ACK, 0, 40 * US);
    s.add(Session.CLIENT_DATA, 80 + rnd.nextInt(300), 2 * MS);
    return rtt;
  }

  /** A long-lived TLS connection: a small request and answer every {@code pause}, then a close. */
  private void longTls(Session s, int port, int rounds, long pause) {
    long rtt = tlsStart(s, port);
    SplittableRandom rnd = scripts.rnd();
    int n = Math.max(1, Math.min(rounds, (s.room() - 6) / 3));
    for (int i = 0; i < n; i++) {
      s.add(Session.CLIENT_DATA, 40 + rnd.nextInt(120), i == 0 ? 5 * MS : pause);
      s.add(Session.SERVER_DATA, 40 + rnd.nextInt(120), rtt);
      s.add(Session.CLIENT_ACK, 0, 40 * US);
    }
    scripts.close(s, rtt);
  }

  /** A bulk upload over TLS: full segments {@code pause} apart, the server acking every second. */
  private void upload(Session s, int port, int rounds, long pause) {
    long rtt = tlsStart(s, port);
    SplittableRandom rnd = scripts.rnd();
    int n = Math.max(1, Math.min(rounds, (s.room() - 8) * 2 / 3));
    for (int i = 0; i < n; i++) {
      s.add(Session.CLIENT_DATA, 1300 + rnd.nextInt(160), i == 0 ? 5 * MS : pause);
      if (i % 2 == 1 || i == n - 1) {
        s.add(Session.SERVER_ACK, 0, rtt);
      }
    }
    s.add(Session.SERVER_DATA, 100 + rnd.nextInt(300), rtt);
    s.add(Session.CLIENT_ACK, 0, 40 * US);
    scripts.close(s, rtt);
  }

  /** A TCP exchange of opaque requests and answers, {@code pause} apart, and a close. */
  private void exchange(Session s, int port, int rounds, long pause) {
    s.app = Session.APP_NONE;
    s.serverPort = port;
    scripts.tcpStart(s);
    long rtt = scripts.rtt();
    SplittableRandom rnd = scripts.rnd();
    s.add(Session.SYN, 0, s.steps == 0 ? 0 : 300 * US);
    s.add(Session.SYN_ACK, 0, rtt);
    s.add(Session.CLIENT_ACK, 0, 40 * US);
    for (int i = 0; i < rounds; i++) {
      s.add(Session.CLIENT_DATA, 40 + rnd.nextInt(600), i == 0 ? 100 * US : pause);
      s.add(Session.SERVER_DATA, 60 + rnd.nextInt(1200), rtt);
      s.add(Session.CLIENT_ACK, 0, 40 * US);
    }
    scripts.close(s, rtt);
  }

  /** UDP request and answer pairs, {@code pause} apart; the first datagrams {@code first} long. */
  private void datagrams(Session s, int port, int rounds, int first, long pause) {
    s.serverPort = port;
    SplittableRandom rnd = scripts.rnd();
    long rtt = scripts.rtt();
    for (int i = 0; i < rounds; i++) {
      int size = i == 0 ? first : 300 + rnd.nextInt(600);
      s.add(Session.UDP_CLIENT, size, i == 0 ? (s.steps == 0 ? 0 : 300 * US) : pause);
      s.add(Session.UDP_SERVER, 300 + rnd.nextInt(600), rtt);
    }
  }

  /**
   * RTP or RTCP for {@code length}: one datagram each way every {@code every} (a sample of the
   * stream: the real one sends every 20 ms), never 60 s apart, so the stream stays one flow.
   */
  private void media(Session s, int port, long length, long every) {
    s.serverPort = port;
    int rounds = (int) Math.max(2, Math.min((s.room() - 2) / 2, length / every));
    long pause = Math.max(20 * MS, length / rounds);
    SplittableRandom rnd = scripts.rnd();
    for (int i = 0; i < rounds; i++) {
      s.add(Session.UDP_CLIENT, 172, i == 0 ? (s.steps == 0 ? 0 : 300 * US) : pause);
      s.add(Session.UDP_SERVER, 172, 20 * MS + rnd.nextInt(20) * MS);
    }
  }

  /** A SYN probe: an open port accepts, a closed one refuses, a dark address stays mute. */
  private void probe(Session s, int port) {
    s.serverPort = port;
    scripts.tcpStart(s);
    s.add(Session.SYN, 0, 0);
    String state = s.service.name;
    long rtt = s.server4 >>> 24 == 10 ? 300 * US : scripts.rtt();
    if (state.equals("open")) {
      s.add(Session.SYN_ACK, 0, rtt);
      s.add(Session.CLIENT_ACK, 0, 40 * US);
      s.app = Session.APP_NONE;
      scripts.close(s, rtt);
    } else if (state.equals("closed")) {
      s.add(Session.SERVER_RST, 0, rtt);
    }
  }

  private static String source(Session s) {
    return s.v6 ? Ip.toString(Catalog.INTERNAL_V6_HI, s.clientLo) : Labels.text(s.client4);
  }

  private static String destination(Session s) {
    return s.v6 ? Ip.toString(s.serverHi, s.serverLo) : Labels.text(s.server4);
  }

  private void label(
      Visit v, String src, String dst, String proto, int port, String behaviour, boolean bad) {
    boolean internal = dst.startsWith("10.") || dst.startsWith("fd");
    labels.add(
        v.day() + 1,
        src,
        dst,
        proto,
        port,
        bad,
        behaviour,
        internal ? Direction.INTERNAL : Direction.EGRESS);
  }
}
