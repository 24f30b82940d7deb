package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.cli.Egret;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names {@code egret learn} attaches to addresses, against Zeek's dns.log (query and address
 * answers), http.log (Host) and ssl.log (server_name) for the same public captures. Every
 * difference must be listed, with its reason, in {@code baseline/name-differences.tsv}; an unlisted
 * difference fails, and so does a listed one that no longer occurs.
 */
class BaselineNamesZeekTest {
  /** A capture, the networks that are inside for it, and the Zeek logs beside it. */
  record Case(String stem, String internal) {}

  /** One name for one address as a host knows it, or one query a host asked. */
  record Fact(String capture, String source, String host, String address, String name) {
    String key() {
      return String.join("\t", capture, source, host, address, name);
    }
  }

  private static final List<Case> CASES =
      List.of(
          // Public addresses of a campus network: the hosts of 141.142.0.0/16 are inside.
          new Case("real/zeek/wikipedia", "141.142.0.0/16"),
          new Case("real/zeek/tls/google-cert-repeat", null),
          new Case("real/zeek/tls/tls-conn-with-extensions", null),
          new Case("real/zeek/tls/tls13-ech", null),
          new Case("real/zeek/tls/tls13draft23-chrome67.0.3368.0-canary", null),
          new Case("real/zeek/tls/xmpp-starttls", null),
          new Case("real/zeek/ldap/ldap-starttls", null),
          new Case("real/zeek/quic/chromium-115.0.5790.110-api-cirrus-com", null),
          new Case("real/zeek/quic/curl-8.1.2-dev-http3-www-google-de", null),
          new Case("real/zeek/quic/quic_win11_firefox_google", null),
          new Case("real/zeek/http/methods", null),
          new Case("real/zeek/http/pipelined-requests", null),
          new Case("real/zeek/tcp-http-with-padding", null));

  @TempDir Path dir;

  @Test
  void namesAgreeWithZeekOrTheDifferenceIsListed() throws IOException {
    Set<String> differences = new TreeSet<>();
    Map<String, Integer> compared = new TreeMap<>();
    for (Case c : CASES) {
      Path pcap = capture(c.stem());
      Map<Fact, Long> zeek = new TreeMap<>(BY_KEY);
      Set<String> clients = new TreeSet<>();
      for (String log : List.of("dns", "http", "ssl")) {
        Path f = SharedPcaps.dir().resolve(c.stem() + "." + log + ".log");
        if (Files.isRegularFile(f)) {
          zeekFacts(c.stem(), log, zeekLog(f), clients, zeek);
        }
      }
      assertFalse(clients.isEmpty(), c.stem() + ": no Zeek rows");
      String internal = c.internal() != null ? c.internal() : hostPrefixes(clients);
      Map<Fact, Long> egret = egretFacts(c.stem(), learn(pcap, internal));
      for (Map.Entry<Fact, Long> z : zeek.entrySet()) {
        Long e = egret.get(z.getKey());
        if (e == null) {
          differences.add(z.getKey().key() + "\tmissing");
        } else if (!e.equals(z.getValue())) {
          differences.add(z.getKey().key() + "\tcount zeek " + z.getValue() + " egret " + e);
        }
      }
      for (Fact f : egret.keySet()) {
        if (!zeek.containsKey(f)) {
          differences.add(f.key() + "\textra");
        }
      }
      for (Fact f : zeek.keySet()) {
        compared.merge(f.source(), 1, Integer::sum);
      }
    }
    Map<String, String> listed = listed();
    List<String> unlisted = new ArrayList<>();
    for (String d : differences) {
      if (!listed.containsKey(d)) {
        unlisted.add(d);
      }
    }
    List<String> stale = new ArrayList<>(listed.keySet());
    stale.removeAll(differences);
    assertEquals(List.of(), unlisted, "differences not in name-differences.tsv");
    assertEquals(List.of(), stale, "listed differences that no longer occur");
    // Distinct facts: wikipedia's 14 HTTP requests name 3 (host, address, Host) triples.
    assertEquals(Map.of("dns", 2, "http-host", 5, "query", 5, "sni", 8), compared);
  }

  @Test
  void serverNameOfAClientHelloSplitOverSegments() throws IOException {
    // No Zeek log for this one; Suricata's check: one TLS event with sni www.google.com.
    Path pcap = SharedPcaps.file("real/suricata-verify/tls-client-hello-frag-01.pcap");
    Baseline b = learn(pcap, "0.0.0.0/0,::/0");
    List<String> sni =
        b.names().stream().filter(n -> n.source().equals("sni")).map(NameRecord::name).toList();
    assertEquals(List.of("www.google.com"), sni);
  }

  private static final java.util.Comparator<Fact> BY_KEY =
      java.util.Comparator.comparing(Fact::key);

  private static Path capture(String stem) {
    Path p = SharedPcaps.dir().resolve(stem + ".pcap");
    return Files.isRegularFile(p) ? p : SharedPcaps.file(stem + ".pcapng");
  }

  /** Each client as a one-address prefix, so that only the clients are inside. */
  private static String hostPrefixes(Set<String> clients) {
    List<String> out = new ArrayList<>();
    for (String c : clients) {
      out.add(c + (c.contains(":") ? "/128" : "/32"));
    }
    return String.join(",", out);
  }

  private Baseline learn(Path pcap, String internal) throws IOException {
    Path state = dir.resolve(pcap.getFileName() + ".json");
    StringWriter err = new StringWriter();
    int rc =
        Egret.run(
            new String[] {
              "learn", pcap.toString(), "--baseline", state.toString(), "--internal", internal
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(0, rc, err.toString());
    return BaselineJson.read(state);
  }

  /** What egret learned, with how often it saw each. */
  private static Map<Fact, Long> egretFacts(String capture, Baseline b) {
    Map<Fact, Long> out = new TreeMap<>(BY_KEY);
    for (NameRecord n : b.names()) {
      out.put(new Fact(capture, n.source(), n.host(), n.address(), n.name()), n.count());
    }
    for (QueryRecord q : b.queries()) {
      out.put(new Fact(capture, "query", q.host(), "-", q.name()), q.count());
    }
    return out;
  }

  /**
   * Zeek's view, with how often each was seen: dns.log gives a query per answered row and a name
   * per address answer (Zeek's {@code query} is the name asked, so CNAME chains are already
   * resolved to it); http.log the Host of each connection's first request (egret reads only the
   * first); ssl.log the server_name of each handshake.
   */
  private static void zeekFacts(
      String capture,
      String log,
      List<Map<String, String>> rows,
      Set<String> clients,
      Map<Fact, Long> out) {
    for (Map<String, String> r : rows) {
      String client = r.get("id.orig_h");
      clients.add(client);
      switch (log) {
        case "dns" -> {
          if (!r.get("rcode").equals("-")) {
            out.merge(new Fact(capture, "query", client, "-", r.get("query")), 1L, Long::sum);
          }
          if (!r.get("answers").equals("-")) {
            for (String a : r.get("answers").split(",")) {
              if (a.matches("[0-9.]+|[0-9a-f:]*:[0-9a-f:.]*")) {
                out.merge(new Fact(capture, "dns", client, a, r.get("query")), 1L, Long::sum);
              }
            }
          }
        }
        case "http" -> {
          if (!r.get("host").equals("-") && r.get("trans_depth").equals("1")) {
            Fact f = new Fact(capture, "http-host", client, r.get("id.resp_h"), r.get("host"));
            out.merge(f, 1L, Long::sum);
          }
        }
        default -> {
          if (!r.get("server_name").equals("-")) {
            Fact f = new Fact(capture, "sni", client, r.get("id.resp_h"), r.get("server_name"));
            out.merge(f, 1L, Long::sum);
          }
        }
      }
    }
  }

  /** Rows of a Zeek log as column name to value, by its {@code #fields} header. */
  static List<Map<String, String>> zeekLog(Path file) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    String[] fields = null;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("#fields\t")) {
        fields = line.substring(8).split("\t");
      } else if (!line.startsWith("#") && !line.isEmpty() && fields != null) {
        String[] v = line.split("\t", -1);
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < fields.length && i < v.length; i++) {
          row.put(fields[i], v[i]);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** The listed differences: six key columns, then the reason. */
  private static Map<String, String> listed() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (InputStream in =
        BaselineNamesZeekTest.class.getResourceAsStream("/baseline/name-differences.tsv")) {
      assertTrue(in != null, "baseline/name-differences.tsv missing");
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        assertEquals(7, f.length, "seven columns: " + line);
        assertFalse(f[6].isBlank(), "a reason: " + line);
        assertTrue(f[5].matches("missing|extra|count zeek [0-9]+ egret [0-9]+"), line);
        String key = String.join("\t", List.of(f).subList(0, 6));
        assertTrue(out.put(key, f[6]) == null, "listed twice: " + line);
      }
    }
    return out;
  }
}
