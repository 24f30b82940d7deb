package dev.egret.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.compile.CompileOptions;
import dev.egret.compile.NameSets;
import dev.egret.decode.DnsMessage;
import dev.egret.net.Cidr;
import dev.egret.policy.NameTtl;
import dev.egret.policy.PolicyYaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NameResolverTest {
  static List<NameSets.NameSet> sets() throws IOException {
    return NameSets.of(
        PolicyYaml.read(Path.of("src/test/resources/policies/names.yaml")), CompileOptions.host());
  }

  static DnsClient.Result answers(long ttl, String... addrs) {
    List<DnsClient.Answer> out = new ArrayList<>();
    for (String a : addrs) {
      out.add(new DnsClient.Answer(Cidr.parse(a), ttl));
    }
    return new DnsClient.Result(out, null);
  }

  @Test
  void answersGoIntoTheNamesSetsForTheirBoundedTtlPlusGrace() throws IOException {
    NameResolver r = new NameResolver(sets(), NameTtl.DEFAULT, 16, new Random(1));
    assertEquals(List.of("*.cdn.example.test"), r.wildcards());
    List<String> asked = new ArrayList<>();
    NameResolver.Round round =
        r.round(
            (name, type) -> {
              asked.add(name + " " + type);
              if (name.equals("api.example.test") && type == DnsMessage.TYPE_A) {
                // 192.0.2.10 is also a learned address, which stays in the rule's own set.
                return answers(5, "192.0.2.10", "192.0.2.99");
              }
              if (name.equals("mirror.example.test") && type == DnsMessage.TYPE_A) {
                return answers(86400, "203.0.113.9");
              }
              return answers(300);
            });
    assertEquals(
        List.of(
            "api.example.test 1",
            "api.example.test 28",
            "img.cdn.example.test 1",
            "img.cdn.example.test 28",
            "mirror.example.test 1",
            "mirror.example.test 28"),
        asked);
    String api = NameSets.nftName("api.example.test", true);
    String mirror = NameSets.nftName("mirror.example.test", true);
    String nft = round.update().nftables("egret");
    assertEquals(
        "add element inet egret "
            + api
            + " { 192.0.2.10 }\n"
            + "delete element inet egret "
            + api
            + " { 192.0.2.10 }\n"
            + "add element inet egret "
            + api
            + " { 192.0.2.10 timeout 360s }\n"
            + "add element inet egret "
            + api
            + " { 192.0.2.99 }\n"
            + "delete element inet egret "
            + api
            + " { 192.0.2.99 }\n"
            + "add element inet egret "
            + api
            + " { 192.0.2.99 timeout 360s }\n"
            + "add element inet egret "
            + mirror
            + " { 203.0.113.9 }\n"
            + "delete element inet egret "
            + mirror
            + " { 203.0.113.9 }\n"
            + "add element inet egret "
            + mirror
            + " { 203.0.113.9 timeout 3900s }\n",
        nft);
    assertEquals(
        "add en4-5f8bf8e9ec22bd1e 192.0.2.10 timeout 360\n"
            + "add en4-5f8bf8e9ec22bd1e 192.0.2.99 timeout 360\n"
            + "add en4-fe1a95d83f70660b 203.0.113.9 timeout 3900\n",
        round.update().ipset());
    // The shortest bounded TTL is 60 s (5 s raised to the minimum), less up to a tenth.
    assertTrue(round.nextDelaySeconds() >= 54 && round.nextDelaySeconds() <= 60);
  }

  @Test
  void aHeldNamesAnswersStayForTheHoldWhenThatIsLonger() throws IOException {
    java.util.List<NameSets.NameSet> held = new ArrayList<>();
    for (NameSets.NameSet s : sets()) {
      held.add(
          new NameSets.NameSet(
              s.pattern(),
              s.v4(),
              s.nftSet(),
              NameSets.ipsetName(s.pattern(), s.v4(), 7200),
              s.lookups(),
              s.pattern().equals("api.example.test") ? 7200 : 0));
    }
    NameResolver r = new NameResolver(held, NameTtl.DEFAULT, 16, new Random(1));
    NameResolver.Round round =
        r.round(
            (name, type) ->
                type != DnsMessage.TYPE_A
                    ? answers(300)
                    : name.equals("api.example.test")
                        ? answers(5, "192.0.2.99")
                        : name.equals("mirror.example.test")
                            ? answers(86400, "203.0.113.9")
                            : answers(300));
    String nft = round.update().nftables("egret");
    assertTrue(nft.contains(" { 192.0.2.99 timeout 7200s }\n"), nft);
    assertTrue(nft.contains(" { 203.0.113.9 timeout 3900s }\n"), nft);
    assertEquals(
        "add "
            + NameSets.ipsetName("api.example.test", true, 7200)
            + " 192.0.2.99 timeout 7200\n"
            + "add "
            + NameSets.ipsetName("mirror.example.test", true, 7200)
            + " 203.0.113.9 timeout 3900\n",
        round.update().ipset());
  }

  @Test
  void aFailedLookupKeepsTheLastGoodAddressesAndBacksOff() throws IOException {
    NameResolver r = new NameResolver(sets(), NameTtl.DEFAULT, 16, new Random(1));
    r.round(
        (n, t) ->
            n.equals("api.example.test") && t == DnsMessage.TYPE_A
                ? answers(3600, "192.0.2.50")
                : answers(3600));
    NameResolver.Round failing = r.round((n, t) -> new DnsClient.Result(List.of(), "timeout"));
    assertEquals(6, failing.failures().size());
    assertTrue(failing.update().nftables("egret").contains("192.0.2.50 timeout"), "last good");
    long first = failing.nextDelaySeconds();
    long later = 0;
    for (int i = 0; i < 4; i++) {
      later = r.round((n, t) -> new DnsClient.Result(List.of(), "timeout")).nextDelaySeconds();
    }
    assertTrue(first <= 60 && later > 400 && later <= 3600, first + " then " + later);
    assertTrue(
        r.round((n, t) -> new DnsClient.Result(List.of(), "timeout"))
            .update()
            .ipset()
            .contains("192.0.2.50"),
        "still kept after five failed rounds");
  }

  @Test
  void atMostNAddressesPerName() throws IOException {
    NameResolver r = new NameResolver(sets(), NameTtl.DEFAULT, 2, new Random(1));
    NameResolver.Round round =
        r.round(
            (n, t) ->
                n.equals("api.example.test") && t == DnsMessage.TYPE_A
                    ? answers(600, "192.0.2.53", "192.0.2.51", "192.0.2.52")
                    : answers(600));
    String s = round.update().ipset();
    assertTrue(s.contains("192.0.2.51 ") && s.contains("192.0.2.52 "), s);
    assertFalse(s.contains("192.0.2.53"), s);
  }

  @Test
  void repliesAreReadOnlyForTheQuestionAsked() {
    byte[] q = DnsClient.encode(0x1234, "api.example.test", DnsMessage.TYPE_A);
    // The query turned into a response with one A record for the name: 192.0.2.7, TTL 30.
    byte[] rr = {
      (byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, (byte) 192, 0, 2, 7,
    };
    byte[] resp = new byte[q.length + rr.length];
    System.arraycopy(q, 0, resp, 0, q.length);
    System.arraycopy(rr, 0, resp, q.length, rr.length);
    resp[2] = (byte) 0x81;
    resp[3] = (byte) 0x80;
    resp[7] = 1;
    DnsClient.Result ok = DnsClient.parse(resp, resp.length, "api.example.test", 1);
    assertEquals(List.of(new DnsClient.Answer(Cidr.parse("192.0.2.7/32"), 30)), ok.answers());
    DnsClient.Result wrong = DnsClient.parse(resp, resp.length, "other.example.test", 1);
    assertFalse(wrong.ok(), "a reply to another question");
    DnsClient.Result aaaa = DnsClient.parse(resp, resp.length, "api.example.test", 28);
    assertFalse(aaaa.ok(), "a reply to another type");
    resp[3] = (byte) 0x82; // SERVFAIL
    assertEquals(
        "response code 2", DnsClient.parse(resp, resp.length, "api.example.test", 1).error());
  }
}
