package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.IpAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * check's judge of connection starts keeps a bounded, time-windowed set of DNS answers and waiting
 * starts on a log of any length, and judges each start as the unbounded check did.
 */
class StartJudgeTest {
  private static final long S = 1_000_000_000L;
  private static final IpAddress HOST = IpAddress.parse("10.0.0.5");
  private static final int TCP = 6;

  /** names.yaml: 10.0.0.5 may reach API.example.test on tcp/443 by name. */
  private static PolicyChecker checker() throws IOException {
    return new PolicyChecker(PolicyYaml.read(Path.of("src/test/resources/policies/names.yaml")));
  }

  private static IpAddress address(int i) {
    return IpAddress.parse("100.64." + (i / 250) + "." + (i % 250 + 1));
  }

  private static String key(IpAddress dest) {
    return HOST + " " + dest + " tcp 443";
  }

  /**
   * 30 days of an answer a minute for api.example.test (500 addresses in turn, each back after 500
   * minutes, past its window) and a connection a second after each; every seventh goes to an
   * address nothing answered for. The answers' windows and the waiting starts stay at two hours'
   * worth all along, and every entry comes to what judging each start against every answer gives.
   */
  @Test
  void aMonthOfAnswersHoldsTwoHoursOfThemAndJudgesAsTheWholeDid() throws IOException {
    PolicyChecker checker = checker();
    DnsAnswers dns = new DnsAnswers(NameTtl.DEFAULT);
    StartJudge judge = new StartJudge(checker, dns);
    DnsAnswers all = new DnsAnswers(NameTtl.DEFAULT);
    Map<String, List<Long>> starts = new LinkedHashMap<>();
    Map<String, IpAddress> dests = new LinkedHashMap<>();
    int maxWindows = 0;
    int maxWaiting = 0;
    int minutes = 30 * 24 * 60;
    for (int i = 0; i < minutes; i++) {
      long t = i * 60 * S;
      IpAddress a = address(i % 500);
      dns.answer(t, "api.example.test", a, 60);
      all.answer(t, "api.example.test", a, 60);
      IpAddress dest = i % 7 == 0 ? IpAddress.parse("198.18.0." + (i % 50 + 1)) : a;
      String k = key(dest);
      judge.start(k, HOST, dest, TCP, 443, t + S);
      starts.computeIfAbsent(k, x -> new ArrayList<>()).add(t + S);
      dests.put(k, dest);
      maxWindows = Math.max(maxWindows, dns.size());
      maxWaiting = Math.max(maxWaiting, judge.waiting());
    }
    // Two hours at one a minute: 120 starts and the windows reaching into them, give or take the
    // batch the judge waits to fill before it looks (1,024 starts at first, doubling past half).
    assertTrue(maxWindows <= 2 * 1024, "answers' windows kept: " + maxWindows);
    assertTrue(maxWaiting <= 2 * 1024, "starts waiting: " + maxWaiting);
    assertTrue(dns.dropped() > minutes - 2 * 1024, "dropped: " + dns.dropped());
    long blocked = 0;
    for (Map.Entry<String, List<Long>> e : starts.entrySet()) {
      IpAddress dest = dests.get(e.getKey());
      long b = 0;
      long first = Long.MAX_VALUE;
      for (long t : e.getValue()) {
        if (!checker.allowsByName(HOST, dest, TCP, 443, t, t, all)) {
          b++;
          first = Math.min(first, t);
        }
      }
      assertEquals(
          new StartJudge.Judged(e.getValue().size(), b, first), judge.of(e.getKey()), e.getKey());
      blocked += b;
    }
    assertEquals((minutes + 6) / 7, blocked, "the connections to unanswered addresses");
    assertEquals(0, judge.late());
    assertNull(judge.of(key(IpAddress.parse("192.0.2.99"))));
  }

  /** A start older than an answer's window already dropped is judged without it, and counted. */
  @Test
  void aStartOlderThanTheDroppedAnswersIsCountedLate() throws IOException {
    DnsAnswers dns = new DnsAnswers(NameTtl.DEFAULT);
    StartJudge judge = new StartJudge(checker(), dns, 3600 * S, 4);
    IpAddress a = address(1);
    dns.answer(0, "api.example.test", a, 60);
    for (int i = 0; i < 8; i++) {
      judge.start(key(address(2)), HOST, address(2), TCP, 443, (2 + i) * 3600 * S);
    }
    assertEquals(0, dns.size(), "the answer's window, long over, is dropped");
    judge.start(key(a), HOST, a, TCP, 443, S); // a flow that lasted ten hours, handed over now
    judge.finish();
    assertEquals(1, judge.late());
    assertEquals(new StartJudge.Judged(1, 1, S), judge.of(key(a)));
  }

  /** More starts than the cap within the hold: the older half is judged at once. */
  @Test
  void startsPastTheCapAreJudgedOldestFirst() throws IOException {
    StartJudge judge = new StartJudge(checker(), new DnsAnswers(NameTtl.DEFAULT), 3600 * S, 64);
    for (int i = 0; i < 10_000; i++) {
      judge.start(key(address(3)), HOST, address(3), TCP, 443, i * S);
      assertTrue(judge.waiting() <= 2 * 64, "waiting: " + judge.waiting());
    }
    assertEquals(new StartJudge.Judged(10_000, 10_000, 0), judge.of(key(address(3))));
  }

  /** Past the cap of answers' windows, the quarter that end first are dropped. */
  @Test
  void answersPastTheCapDropTheQuarterThatEndFirst() {
    DnsAnswers dns = new DnsAnswers(NameTtl.DEFAULT, 100);
    for (int i = 0; i < 10_000; i++) {
      dns.answer(i * 3600 * S, "api.example.test", address(i % 1000), 60);
      assertTrue(dns.size() <= 100, "windows: " + dns.size());
    }
    assertTrue(dns.horizon() > 9_000 * 3600 * S, "horizon " + dns.horizon());
    assertTrue(
        dns.explains(
            List.of("api.example.test"), address(9_999 % 1000), 9_999 * 3600 * S, 9_999 * 3600 * S),
        "the newest answer is kept");
  }
}
