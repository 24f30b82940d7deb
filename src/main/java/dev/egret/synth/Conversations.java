package dev.egret.synth;

import static dev.egret.synth.Scripts.MS;
import static dev.egret.synth.Scripts.SEC;
import static dev.egret.synth.Scripts.US;

import dev.egret.synth.SitePlanner.Visit;

/**
 * The site's conversations that are not a plain request and answer ({@link SitePlanner#script}): an
 * outside client calling in, a connection open before the capture began, a SYN nobody answers, a
 * probe of the scan and the reverse shell.
 */
final class Conversations {
  private final Scripts scripts;
  private int scanCursor;

  Conversations(Scripts scripts) {
    this.scripts = scripts;
  }

  /** An outside client calls the web server: it is the session's client. */
  void inbound(Session s, Visit v) {
    s.inbound = true;
    s.service = v.service();
    s.server4 = s.client4;
    s.serverLo = s.clientLo;
    s.serverHi = s.clientHi;
    s.client4 = Catalog.v4(198, 51, 100, 128 + scripts.rnd().nextInt(127));
    boolean http = scripts.rnd().nextDouble() < 0.2;
    scripts.tcp(s, http ? Session.APP_HTTP : Session.APP_TLS, http ? 80 : 443);
  }

  /** A connection that was already open when the capture started: no handshake, data at once. */
  void open(Session s, Visit v) {
    scripts.server(s, v.service());
    s.app = v.service().kind == Service.BANNER ? Session.APP_NONE : Session.APP_TLS;
    s.serverPort = v.service().port;
    scripts.tcpStart(s);
    s.clientSegments = 1;
    s.serverSegments = 1;
    long rtt = scripts.rtt();
    for (int i = 0; i < 20; i++) {
      s.add(Session.CLIENT_DATA, 60 + scripts.rnd().nextInt(400), i == 0 ? 0 : 20 * SEC);
      s.add(Session.SERVER_DATA, 100 + scripts.rnd().nextInt(1200), rtt);
      s.add(Session.CLIENT_ACK, 0, 40 * US);
    }
    scripts.close(s, rtt);
  }

  /** A SYN nobody answers, retransmitted after 1 and 3 s (RFC 6298 5.5). */
  void unanswered(Session s, Visit v, int port, boolean retry) {
    scripts.server(s, v.service());
    s.serverPort = port;
    scripts.tcpStart(s);
    s.add(Session.SYN, 0, 0);
    if (retry) {
      s.add(Session.SYN, 1, SEC);
      s.add(Session.SYN, 1, 2 * SEC);
    }
  }

  /** One probe of a sweep over 198.51.100.1-120 on tcp/445; a quarter are refused. */
  void scanProbe(Session s, Visit v) {
    scripts.server(s, v.service());
    int target = 1 + scanCursor++ % 120;
    s.server4 = Catalog.v4(198, 51, 100, target);
    s.serverPort = SiteWorld.SCAN_PORT;
    scripts.tcpStart(s);
    s.add(Session.SYN, 0, 0);
    if (target % 4 == 0) {
      s.add(Session.SERVER_RST, 0, scripts.rtt());
    }
  }

  /** A reverse shell: short commands and their output for about ten minutes. */
  void shell(Session s, Visit v) {
    scripts.server(s, v.service());
    s.app = Session.APP_NONE;
    s.serverPort = SiteWorld.SHELL_PORT;
    scripts.tcpStart(s);
    long rtt = scripts.rtt();
    s.add(Session.SYN, 0, 0);
    s.add(Session.SYN_ACK, 0, rtt);
    s.add(Session.CLIENT_ACK, 0, 40 * US);
    for (int i = 0; i < 120; i++) {
      s.add(
          Session.SERVER_DATA,
          4 + scripts.rnd().nextInt(60),
          1 * SEC + scripts.rnd().nextInt(8000) * MS);
      s.add(Session.CLIENT_DATA, 20 + scripts.rnd().nextInt(1200), 50 * MS);
      s.add(Session.SERVER_ACK, 0, rtt);
    }
    scripts.close(s, rtt);
  }
}
