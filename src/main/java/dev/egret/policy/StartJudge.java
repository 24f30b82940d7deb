package dev.egret.policy;

import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges, one by one, the connections of {@code check}'s captures and logs that a name rule could
 * allow: each start against the DNS answers seen ({@link PolicyChecker#allowsByName}), kept per
 * baseline entry as counts, so that check holds per entry three numbers, not every start.
 *
 * <p>A start is judged once every answer that could explain it has been read: answers are read in
 * time order, but a log's conn.log rows come before the dns.log rows of the same hour and a flow is
 * handed over when it ends. So starts wait until one {@link #HOLD_NANOS} later has been seen (or
 * more than {@link #CAP} wait: then the older half is judged at once), and the answers' windows
 * that end before the oldest start still waiting are dropped ({@link DnsAnswers#forgetBefore}).
 * Memory stays bounded on months of logs: the starts of two hours, the answers' windows that reach
 * into them, and one count per entry. A start judged after an answer that could have held it was
 * dropped (a flow that lasted hours, inputs given out of time order) is counted ({@link #late}).
 */
public final class StartJudge {
  /** How long a start waits for its answers, in the inputs' time. */
  public static final long HOLD_NANOS = 2 * 3_600_000_000_000L;

  /** At most this many starts wait. */
  public static final int CAP = 1 << 22;

  /** What an entry's connections came to: how many, how many blocked, the first blocked start. */
  public record Judged(long flows, long blocked, long firstBlockedNs) {}

  /** One entry's connections so far. */
  private static final class Target {
    final IpAddress host;
    final IpAddress dest;
    final int proto;
    final int port;
    long flows;
    long blocked;
    long firstBlocked = Long.MAX_VALUE;

    Target(IpAddress host, IpAddress dest, int proto, int port) {
      this.host = host;
      this.dest = dest;
      this.proto = proto;
      this.port = port;
    }
  }

  private final PolicyChecker checker;
  private final DnsAnswers dns;
  private final long hold;
  private final int cap;
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<Target> targets = new ArrayList<>();
  private int[] waitingId;
  private long[] waitingNs;
  private int waiting;
  private long newest = Long.MIN_VALUE;
  private long late;

  public StartJudge(PolicyChecker checker, DnsAnswers dns) {
    this(checker, dns, HOLD_NANOS, CAP);
  }

  StartJudge(PolicyChecker checker, DnsAnswers dns, long hold, int cap) {
    this.checker = checker;
    this.dns = dns;
    this.hold = hold;
    this.cap = cap;
    // The judge looks at the waiting starts when their arrays are full: at first every 1,024.
    waitingId = new int[Math.min(1024, cap)];
    waitingNs = new long[waitingId.length];
  }

  /**
   * A connection of entry {@code key} (host, destination, protocol and port as {@code Entry#key()}
   * spells them, without a user) started at {@code startNs}.
   */
  public void start(String key, IpAddress host, IpAddress dest, int proto, int port, long startNs) {
    Integer id = ids.get(key);
    if (id == null) {
      id = targets.size();
      ids.put(key, id);
      targets.add(new Target(host, dest, proto, port));
    }
    if (waiting == waitingId.length) {
      if (waiting >= cap) {
        judgeOldestHalf();
      } else if (newest - hold > oldestWaiting()) {
        judgeBefore(newest - hold);
      }
      if (waiting > waitingId.length / 2) {
        waitingId = Arrays.copyOf(waitingId, waitingId.length * 2);
        waitingNs = Arrays.copyOf(waitingNs, waitingNs.length * 2);
      }
    }
    waitingId[waiting] = id;
    waitingNs[waiting++] = startNs;
    newest = Math.max(newest, startNs);
  }

  /** Judges every start still waiting: the input has ended. */
  public void finish() {
    judgeBefore(Long.MAX_VALUE);
  }

  /** What the connections of entry {@code key} came to, every start judged; null if none. */
  public Judged of(String key) {
    finish();
    Integer id = ids.get(key);
    if (id == null) {
      return null;
    }
    Target t = targets.get(id);
    return new Judged(t.flows, t.blocked, t.firstBlocked);
  }

  /** Starts judged after an answer that could have held them was dropped. */
  public long late() {
    return late;
  }

  /** Starts waiting now. */
  int waiting() {
    return waiting;
  }

  /** Judges the waiting starts before {@code ns}, then drops the answers only they could use. */
  private void judgeBefore(long ns) {
    judgeBefore(ns, 0);
  }

  /** {@link #judgeBefore(long)}, and up to {@code atNs} of the starts at {@code ns} too. */
  private void judgeBefore(long ns, int atNs) {
    int kept = 0;
    long oldestLeft = Long.MAX_VALUE;
    for (int i = 0; i < waiting; i++) {
      long t = waitingNs[i];
      if (t < ns || t == ns && atNs-- > 0) {
        judge(targets.get(waitingId[i]), t);
      } else {
        waitingId[kept] = waitingId[i];
        waitingNs[kept++] = t;
        oldestLeft = Math.min(oldestLeft, t);
      }
    }
    waiting = kept;
    if (ns != Long.MAX_VALUE) {
      dns.forgetBefore(Math.min(ns, oldestLeft));
    }
  }

  private void judge(Target t, long startNs) {
    if (startNs < dns.horizon()) {
      late++;
    }
    t.flows++;
    if (!checker.allowsByName(t.host, t.dest, t.proto, t.port, startNs, startNs, dns)) {
      t.blocked++;
      t.firstBlocked = Math.min(t.firstBlocked, startNs);
    }
  }

  private long oldestWaiting() {
    long o = Long.MAX_VALUE;
    for (int i = 0; i < waiting; i++) {
      o = Math.min(o, waitingNs[i]);
    }
    return o;
  }

  /** Judges the older half of the waiting starts (of those at the middle time, the first met). */
  private void judgeOldestHalf() {
    long[] ts = Arrays.copyOf(waitingNs, waiting);
    Arrays.sort(ts);
    int half = waiting / 2;
    int before = half;
    while (before > 0 && ts[before - 1] == ts[half]) {
      before--;
    }
    judgeBefore(ts[half], half - before);
  }
}
