package dev.egret.synth;

/**
 * One conversation in flight: who talks to whom, the TCP and DNS state, and its script, a list of
 * steps each with the delay before it. Sessions are pooled and replanned, never reallocated.
 */
final class Session {
  static final int MAX_STEPS = 512;

  /** A DNS query from the host to the resolver; the step argument is the QTYPE. */
  static final int DNS_QUERY = 1;

  static final int DNS_RESPONSE = 2;

  /** A SYN; argument 1 marks a retransmission, which reuses the first SYN's sequence number. */
  static final int SYN = 3;

  static final int SYN_ACK = 4;
  static final int CLIENT_ACK = 5;
  static final int SERVER_ACK = 6;

  /** Client data; the argument is the payload size. */
  static final int CLIENT_DATA = 7;

  static final int SERVER_DATA = 8;
  static final int CLIENT_FIN = 9;
  static final int SERVER_FIN = 10;
  static final int SERVER_RST = 11;

  /** An ICMP echo request; the argument is the sequence number. */
  static final int ECHO_REQUEST = 12;

  static final int ECHO_REPLY = 13;
  static final int NTP_REQUEST = 14;
  static final int NTP_RESPONSE = 15;

  /**
   * A DNS query sent as an ordinary client to a server (a resolver forwarding upstream), from
   * {@code clientPort} to port 53; the argument is the QTYPE.
   */
  static final int UPSTREAM_QUERY = 16;

  static final int UPSTREAM_RESPONSE = 17;

  /** A UDP datagram from client to server of an application egret does not parse; arg: size. */
  static final int UDP_CLIENT = 18;

  static final int UDP_SERVER = 19;

  /** What the TCP payload carries. */
  static final int APP_TLS = 0;

  static final int APP_HTTP = 1;
  static final int APP_BANNER = 2;
  static final int APP_NONE = 3;

  final int[] op = new int[MAX_STEPS];
  final int[] arg = new int[MAX_STEPS];
  final long[] gap = new long[MAX_STEPS];
  int steps;
  int next;
  long nextTime;
  boolean active;
  boolean trojan;

  /** Breaks ties between sessions due at the same instant: the one planned first goes first. */
  long serial;

  int host;
  int vlan;
  boolean v6;

  /** An external client calling the internal host, rather than the host calling out. */
  boolean inbound;

  Service service;
  int app;
  int client4;
  int server4;
  long clientHi;
  long clientLo;
  long serverHi;
  long serverLo;
  int clientPort;
  int serverPort;
  int remoteTtl;

  int dnsPort;
  int dnsId;
  long clientSeq;
  long serverSeq;
  long isn;
  int clientIpId;
  int serverIpId;
  int resolverIpId;
  int clientSegments;
  int serverSegments;

  /** For HTTP: the Content-Length announced in the response header. */
  int httpBody;

  int echoId;
  long echoTime;
  long ntpClientTime;

  /** Clears the script; the planner then fills in every other field it uses. */
  void reset() {
    steps = 0;
    next = 0;
    clientSegments = 0;
    serverSegments = 0;
    httpBody = 0;
    inbound = false;
    service = null;
    app = APP_NONE;
  }

  /**
   * Appends a step {@code delay} nanoseconds after the previous one; false when the script is full.
   */
  boolean add(int stepOp, int stepArg, long delay) {
    if (steps == MAX_STEPS) {
      return false;
    }
    op[steps] = stepOp;
    arg[steps] = stepArg;
    gap[steps] = delay;
    steps++;
    return true;
  }

  int room() {
    return MAX_STEPS - steps;
  }

  /** Starts the script at {@code start}. */
  void begin(long start) {
    next = 0;
    nextTime = start + gap[0];
    active = steps > 0;
  }

  /** Moves past the step just emitted. */
  void advance() {
    next++;
    if (next >= steps) {
      active = false;
    } else {
      nextTime += gap[next];
    }
  }
}
