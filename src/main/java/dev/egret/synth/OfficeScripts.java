package dev.egret.synth;

import static dev.egret.synth.Scripts.MS;
import static dev.egret.synth.Scripts.SEC;
import static dev.egret.synth.Scripts.US;

import dev.egret.net.Ip;
import dev.egret.synth.Labels.Direction;
import dev.egret.synth.OfficePlanner.Kind;
import dev.egret.synth.OfficePlanner.Visit;
import dev.egret.synth.SiteWorld.Host;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The script of each office conversation ({@link OfficePlanner.Visit}) and its labels: TLS, HTTP
 * and banner protocols through {@link Scripts}, plus what the shop profile has no need of: opaque
 * TCP exchanges (Kerberos, LDAP, SMB, printing, a shell), UDP exchanges egret does not parse (QUIC,
 * STUN and media, CLDAP), queries to outside resolvers, and the probes of a LAN scan.
 */
final class OfficeScripts {
  private static final String RESOLVER_V6 =
      Ip.toString(Catalog.INTERNAL_V6_HI, Catalog.RESOLVER_V6_LO);

  private final OfficeWorld world;
  private final Scripts scripts;
  private final Labels labels;
  private final Set<Integer> live = new HashSet<>();

  /** Each host's next source port (one more for a device outside the plan). */
  private final int[] nextPort;

  OfficeScripts(OfficeWorld world, Scripts scripts, Labels labels) {
    this.world = world;
    this.scripts = scripts;
    this.labels = labels;
    nextPort = new int[world.hosts.size() + 1];
    for (int i = 0; i < nextPort.length; i++) {
      nextPort[i] = scripts.ephemeral();
    }
    for (Host h : world.workstations) {
      live.add(h.v4());
    }
  }

  /** A query carrying data in long random labels, as DNS tunnels do (RFC 1035: 63 a label). */
  static Service tunnelQuery(SplittableRandom rnd) {
    return Scripts.tunnelQuery(rnd, List.of("t", "exfil", "test"), Catalog.v4(198, 51, 100, 200));
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
    s.clientLo = 0x100L + h.index();
    s.dnsPort = port(h);
    server(s, v);
    if (v.resolve()) {
      scripts.lookup(s);
      String resolver = s.v6 ? RESOLVER_V6 : Labels.text(Catalog.RESOLVER_V4);
      label(v, source(s), resolver, "udp", 53, "dns-lookup", false);
    }
    SplittableRandom rnd = scripts.rnd();
    int sourcePort = -1;
    String proto = "udp";
    switch (v.kind()) {
      case CLOUD_API, IDP, MONITOR, REGISTRY, DOWNLOAD, MEET, UPDATER, FIRMWARE, BEACON, ROGUE -> {
        scripts.tcp(s, Session.APP_TLS, 443);
        proto = "tcp";
      }
      case BROWSE -> {
        boolean http = rnd.nextDouble() < 0.1;
        scripts.tcp(s, http ? Session.APP_HTTP : Session.APP_TLS, http ? 80 : 443);
        proto = "tcp";
      }
      case MIRROR, PAYLOAD -> {
        scripts.tcp(s, Session.APP_HTTP, 80);
        proto = "tcp";
      }
      case SMARTHOST, GIT, BRUTE_FORCE -> {
        scripts.tcp(s, Session.APP_BANNER, v.service().port);
        proto = "tcp";
      }
      case DOT -> {
        scripts.tcp(s, Session.APP_TLS, 853);
        proto = "tcp";
      }
      case DIRECTORY_TCP, PRINT -> {
        exchange(s, v.port(), 1 + rnd.nextInt(4), 20 * MS);
        proto = "tcp";
      }
      case SHELL -> {
        exchange(s, 443, 80, 3 * SEC);
        proto = "tcp";
      }
      case LAN_SCAN -> {
        probe(s, v.port());
        proto = "tcp";
      }
      case DIRECTORY_UDP -> datagrams(s, v.port(), 1, 300, 0);
      case QUIC -> datagrams(s, 443, 4 + rnd.nextInt(20), 1200, 30 * MS);
      case MEDIA -> datagrams(s, v.port(), 40, 180, 3 * SEC);
      case SOURCE_PORT -> {
        datagrams(s, v.service().port, 20, 400, 2 * SEC);
        sourcePort = v.port();
      }
      case NTP_DC, NTP_POOL -> {
        s.serverPort = 123;
        s.add(Session.NTP_REQUEST, 0, 0);
        s.add(Session.NTP_RESPONSE, 0, scripts.rtt());
        sourcePort = h.role() == OfficeWorld.WORKSTATION ? -1 : 123;
      }
      case FORWARD, OUTSIDE_DNS, TUNNEL -> {
        if (v.kind() == Kind.FORWARD) {
          s.server4 = OfficeWorld.UPSTREAM_DNS[rnd.nextInt(OfficeWorld.UPSTREAM_DNS.length)];
        } else {
          s.server4 = OfficeWorld.PUBLIC_RESOLVER_V4;
        }
        s.v6 = false;
        s.serverPort = 53;
        if (v.kind() == Kind.FORWARD) {
          scripts.upstream(s);
        } else {
          s.add(Session.UPSTREAM_QUERY, DnsWriter.TYPE_A, 0);
          s.add(Session.UPSTREAM_RESPONSE, DnsWriter.TYPE_A, 10 * MS + scripts.rtt() / 4);
        }
      }
      default -> throw new IllegalStateException("unplanned " + v.kind());
    }
    s.clientPort = sourcePort >= 0 ? sourcePort : port(h);
    label(
        v,
        source(s),
        destination(s),
        proto,
        s.serverPort,
        v.kind().behaviour,
        v.kind().malicious());
  }

  /** The destination: a fixed address, or one of the service's, IPv6 half the time if both can. */
  private void server(Session s, Visit v) {
    Service svc = v.service();
    s.service = svc;
    s.v6 = false;
    SplittableRandom rnd = scripts.rnd();
    if (v.address() != 0) {
      s.server4 = v.address();
    } else if (svc.hasV6() && world.hasV6(v.host()) && rnd.nextDouble() < 0.5) {
      s.v6 = true;
      int i = rnd.nextInt(svc.v6.length / 2);
      s.serverHi = svc.v6[2 * i];
      s.serverLo = svc.v6[2 * i + 1];
    } else {
      s.server4 = svc.v4[rnd.nextInt(svc.v4.length)];
    }
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
    s.clientPort = scripts.ephemeral();
    SplittableRandom rnd = scripts.rnd();
    long rtt = scripts.rtt();
    for (int i = 0; i < rounds; i++) {
      int size = i == 0 ? first : 60 + rnd.nextInt(1000);
      s.add(Session.UDP_CLIENT, size, i == 0 ? (s.steps == 0 ? 0 : 300 * US) : pause);
      s.add(Session.UDP_SERVER, i == 0 ? first : 60 + rnd.nextInt(1000), rtt);
    }
  }

  /** A scan probe: a live workstation refuses telnet and accepts SMB; other addresses are mute. */
  private void probe(Session s, int port) {
    s.serverPort = port;
    scripts.tcpStart(s);
    s.add(Session.SYN, 0, 0);
    if (!live.contains(s.server4)) {
      return;
    }
    long rtt = 300 * US;
    if (port == 445) {
      s.add(Session.SYN_ACK, 0, rtt);
      s.add(Session.CLIENT_ACK, 0, 40 * US);
      s.app = Session.APP_NONE;
      scripts.close(s, rtt);
    } else {
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
