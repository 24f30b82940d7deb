package dev.egret.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Entry;
import dev.egret.baseline.NameRecord;
import dev.egret.policy.PolicyYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture end to end: two network namespaces joined by veth, real programs making real traffic
 * (curl resolving a name through the system resolver to a small DNS responder, python's
 * http.server, ping), egret capturing in a child process on the client's veth. Traffic stays inside
 * the namespaces, which are removed afterwards. Needs root; skipped with the reason otherwise, and
 * an error under CI=true.
 */
class LiveNetnsTest {
  private static final String NAME = "web.egl.test";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Answers A queries for *.egl.test with the server's address, AAAA with nothing. */
  private static final String DNS_RESPONDER =
      """
      import socket, struct, sys
      addr = sys.argv[1]
      s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
      s.bind((addr, 53))
      print("ready", flush=True)
      while True:
          q, peer = s.recvfrom(512)
          qid, flags, qd = struct.unpack("!HHH", q[:6])
          i, labels = 12, []
          while q[i]:
              labels.append(q[i + 1:i + 1 + q[i]].decode()); i += 1 + q[i]
          qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
          question = q[12:i + 5]
          name = ".".join(labels).lower()
          ok = name.endswith(".egl.test")
          answers = b""
          if ok and qtype == 1:
              answers = b"\\xc0\\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(addr)
          rcode = 0 if ok else 3
          head = struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, 1 if answers else 0, 0, 0)
          s.sendto(head + question + answers, peer)
      """;

  private static Netns net;
  private static Path work;

  @TempDir static Path tmp;

  @BeforeAll
  static void namespaces() throws Exception {
    Netns.assumeUsable("ip", "curl", "ping");
    work = tmp;
    net = Netns.create();
    Path www = Files.createDirectories(work.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello\n");
    Files.writeString(work.resolve("dns.py"), DNS_RESPONDER);
    Path dnsLog = work.resolve("dns.log");
    net.start(net.b, dnsLog, Netns.python(), "-u", work.resolve("dns.py").toString(), net.server);
    net.start(
        net.b,
        work.resolve("http.log"),
        Netns.python(),
        "-m",
        "http.server",
        "8080",
        "--bind",
        net.server,
        "--directory",
        www.toString());
    waitFor(() -> Files.readString(dnsLog).contains("ready"), "the DNS responder");
    // Checked from the server's own namespace, so nothing crosses the captured veth.
    waitFor(
        () -> {
          Process p =
              new ProcessBuilder(
                      Netns.inNs(
                          net.b,
                          "curl",
                          "-s",
                          "-o",
                          "/dev/null",
                          "http://" + net.server + ":8080/"))
                  .start();
          return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        },
        "the HTTP server");
  }

  @AfterAll
  static void removeNamespaces() {
    if (net != null) {
      net.close();
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitFor(Check c, String what) throws Exception {
    long end = System.nanoTime() + 60_000_000_000L; // a JVM start on a busy 2-core machine
    while (System.nanoTime() < end) {
      try {
        if (c.ok()) {
          return;
        }
      } catch (IOException e) {
        // not there yet
      }
      Thread.sleep(100);
    }
    fail("timed out waiting for " + what);
  }

  /** egret in the client namespace, as a child process, capturing on the client's veth. */
  private static Process egret(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(EgretLauncher.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(Netns.inNs(net.a, cmd.toArray(new String[0])));
    pb.redirectOutput(log.toFile());
    pb.redirectError(Path.of(log + ".err").toFile());
    return pb.start();
  }

  private static void startedWriting(Process p, Path baseline, Path log) throws Exception {
    waitFor(
        () -> {
          if (!p.isAlive()) {
            fail("egret exited " + p.exitValue() + ": " + Files.readString(Path.of(log + ".err")));
          }
          return Files.exists(baseline);
        },
        "egret to start");
  }

  private static int stop(Process p, Path log) throws Exception {
    p.destroy(); // SIGTERM: the last checkpoint, then exit
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("egret did not stop on SIGTERM: " + Files.readString(Path.of(log + ".err")));
    }
    return p.exitValue();
  }

  private static void curl(String url) throws Exception {
    assertEquals("hello\n", net.run(net.a, "curl", "-sS", "--max-time", "10", url));
  }

  private static Entry entry(Baseline b, String proto, int port) {
    for (Entry e : b.entries()) {
      if (e.protocol().equals(proto) && e.port() == port) {
        return e;
      }
    }
    return null;
  }

  private static Set<String> tuples(Baseline b) {
    Set<String> got = new TreeSet<>();
    for (Entry e : b.entries()) {
      got.add(e.host() + " " + e.destination() + " " + e.protocol() + "/" + e.port());
    }
    return got;
  }

  @Test
  void theBaselineHoldsExactlyTheFlowsRealProgramsMadeWithTheirNames() throws Exception {
    Path baseline = work.resolve("state.json");
    Path policy = work.resolve("policy.yaml");
    Path alerts = work.resolve("alerts.jsonl");
    Files.writeString(policy, PolicyYaml.write(TestPolicies.dnsOnly("10.98.0.0/16", net.server)));
    Path log = work.resolve("capture.log");
    Process p =
        egret(
            log,
            "capture",
            "-i",
            net.vethA,
            "--baseline",
            baseline.toString(),
            "--checkpoint",
            "1s",
            "--status",
            "json",
            "--status-every",
            "1s",
            "--policy",
            policy.toString(),
            "--alerts",
            alerts.toString());
    startedWriting(p, baseline, log);
    curl("http://" + NAME + ":8080/");
    curl("http://" + NAME + ":8080/");
    net.run(net.a, "ping", "-c", "2", "-i", "0.2", net.server);
    Thread.sleep(1500);
    assertEquals(0, stop(p, log), Files.readString(Path.of(log + ".err")));

    // Alert mode never teaches: what the policy would block is in state.held.json, not learned.
    Baseline b = BaselineJson.read(baseline);
    Baseline held = BaselineJson.read(work.resolve("state.held.json"));
    String c = net.client + " " + net.server + " ";
    assertEquals(Set.of(c + "udp/53"), tuples(b));
    assertEquals(Set.of(c + "icmp/8", c + "tcp/8080"), tuples(held));
    assertEquals(2, entry(held, "tcp", 8080).flows());
    assertEquals(2, entry(held, "tcp", 8080).answered());
    assertEquals(1, entry(held, "icmp", 8).flows());
    assertEquals(2, entry(held, "icmp", 8).packetsOut());
    assertEquals(2, entry(held, "icmp", 8).packetsIn());
    assertTrue(
        Files.readString(Path.of(log + ".err"))
            .contains("egret: 3 flows the policy would block held back in "),
        Files.readString(Path.of(log + ".err")));
    List<String> banner =
        Files.readAllLines(Path.of(log + ".err")).stream()
            .filter(l -> l.startsWith("egret: capturing on "))
            .toList();
    assertEquals(
        List.of(
            "egret: capturing on "
                + net.vethA
                + ", new baseline "
                + baseline
                + "; Ctrl-C or SIGTERM writes the baseline and stops"),
        banner,
        "the one-line banner at start");
    Set<String> names = new TreeSet<>();
    for (NameRecord n : b.names()) {
      names.add(n.host() + " " + n.address() + " " + n.name() + " " + n.source());
    }
    assertEquals(Set.of(c + NAME + " dns", c + NAME + " http-host"), names);
    assertTrue(b.queries().stream().anyMatch(q -> q.name().equals(NAME)), b.queries().toString());
    assertEquals(0, b.counters().dropped());
    assertEquals(1, b.sources().size());
    assertEquals(net.vethA, b.sources().get(0).name());
    assertEquals("sensor", b.sources().get(0).kind());

    // Drift: the policy allows only DNS; the web flows and the ping would be blocked.
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(alerts)) {
      lines.add(JSON.readTree(l));
    }
    assertEquals(2, lines.size(), lines.toString());
    JsonNode web = lines.stream().filter(j -> j.get("port").asInt() == 8080).findFirst().get();
    assertEquals(net.client, web.get("host").asText());
    assertEquals(net.server, web.get("destination").asText());
    assertEquals(NAME, web.get("name").asText());
    assertEquals("tcp", web.get("protocol").asText());
    JsonNode ping =
        lines.stream().filter(j -> j.get("protocol").asText().equals("icmp")).findFirst().get();
    assertEquals(8, ping.get("port").asInt());

    JsonNode last = null;
    int statusLines = 0;
    for (String l : Files.readAllLines(Path.of(log + ".err"))) {
      if (l.startsWith("{")) {
        JsonNode j = JSON.readTree(l);
        statusLines++;
        last = j;
      }
    }
    assertTrue(statusLines >= 2, "a status line per second, then the final one");
    assertEquals("stopped", last.get("event").asText());
    assertEquals(3, last.get("blocked").asLong(), "two web flows and one ping");
    assertEquals(2, last.get("alerts").asLong(), "the second web flow is rate-limited");
    assertEquals(0, last.get("kernel_drops").asLong() + last.get("queue_drops").asLong());
    assertEquals(b.counters().packets(), last.get("packets").asLong());
    long stdoutAlerts =
        Files.readAllLines(log).stream().filter(l -> l.contains("\"would-block\"")).count();
    assertEquals(2, stdoutAlerts);
  }

  @Test
  void afterAKillNineARestartResumesAndCountsAddUp() throws Exception {
    Path baseline = work.resolve("resume.json");
    String url = "http://" + net.server + ":8080/";
    String[] args = {
      "capture",
      "-i",
      net.vethA,
      "--baseline",
      baseline.toString(),
      "--checkpoint",
      "1s",
      "--status",
      "json",
      "--status-every",
      "1s"
    };
    Path log1 = work.resolve("run1.log");
    Process first = egret(log1, args);
    startedWriting(first, baseline, log1);
    for (int i = 0; i < 3; i++) {
      curl(url);
    }
    // A checkpoint after the traffic: open flows are in it too.
    waitFor(
        () -> {
          Entry e = entry(BaselineJson.read(baseline), "tcp", 8080);
          return e != null && e.flows() == 3 && e.packetsIn() >= 3 * 4;
        },
        "a checkpoint with the three connections");
    Thread.sleep(1500);
    first.destroyForcibly(); // SIGKILL: no last checkpoint
    first.waitFor(20, TimeUnit.SECONDS);
    Baseline killed = BaselineJson.read(baseline);
    Entry before = entry(killed, "tcp", 8080);
    assertEquals(3, before.flows());

    Path log2 = work.resolve("run2.log");
    Process second = egret(log2, args);
    // The first status line comes once the capture loop runs.
    waitFor(
        () -> {
          if (!second.isAlive()) {
            fail("egret exited: " + Files.readString(Path.of(log2 + ".err")));
          }
          return Files.readString(Path.of(log2 + ".err")).contains("\"status\"");
        },
        "the second run");
    for (int i = 0; i < 2; i++) {
      curl(url);
    }
    Thread.sleep(1500);
    assertEquals(0, stop(second, log2), Files.readString(Path.of(log2 + ".err")));
    Baseline after = BaselineJson.read(baseline);
    Entry e = entry(after, "tcp", 8080);
    assertEquals(5, e.flows(), "three before the kill, two after");
    assertEquals(5, e.answered());
    assertTrue(e.bytesOut() > before.bytesOut());
    assertTrue(e.firstSeenNs() == before.firstSeenNs(), "first seen survives the restart");
    assertTrue(after.counters().packets() > killed.counters().packets());
    assertEquals(2, after.sources().size(), "one sensor record per run");
    assertEquals(1, after.entries().size(), after.entries().toString());
  }

  @Test
  void interfacesListsTheNamespacesDevices() throws Exception {
    Path log = work.resolve("interfaces.log");
    Process p = egret(log, "interfaces");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(Path.of(log + ".err")));
    String out = Files.readString(log);
    assertTrue(out.contains(net.vethA), out);
    assertTrue(out.contains(net.client), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("lo ")), out);
  }

  @Test
  void withoutCaptureRightsTheMessageSaysWhatIsNeeded() throws Exception {
    Netns.assumeUsable("setpriv");
    Path log = work.resolve("noperm.log");
    // Root without CAP_NET_RAW and CAP_NET_ADMIN, as an unprivileged user would be.
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--inh-caps=-net_raw,-net_admin",
                "--bounding-set=-net_raw,-net_admin",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                EgretLauncher.class.getName(),
                "capture",
                "-i",
                net.vethA,
                "--baseline",
                work.resolve("never.json").toString()));
    Process p =
        new ProcessBuilder(Netns.inNs(net.a, cmd.toArray(new String[0])))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(log);
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("no permission to capture"), out);
    assertTrue(out.contains("CAP_NET_RAW"), out);
    assertTrue(out.contains("setcap cap_net_raw,cap_net_admin+eip"), out);
    assertTrue(out.contains("egret-capture.service"), out);
    assertTrue(!Files.exists(work.resolve("never.json")));
  }
}
