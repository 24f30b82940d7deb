package dev.egret.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Learner;
import dev.egret.flow.FlowKey;
import dev.egret.flow.NameObserver;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import dev.egret.policy.PolicyChecker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LiveDriftAlertsTest {
  private static final long HOUR = 3_600_000_000_000L;
  private static final long T0 = 1_714_550_400_000_000_000L; // 2024-05-01T08:00:00Z

  private final List<DriftAlerts.Alert> alerts = new ArrayList<>();
  private Learner learner;
  private DriftAlerts drift;

  private static FlowKey key(String init, int ip, String resp, int rp, int proto) {
    IpAddress i = IpAddress.parse(init);
    IpAddress r = IpAddress.parse(resp);
    return new FlowKey(i.hi(), i.lo(), ip, r.hi(), r.lo(), rp, proto);
  }

  @BeforeEach
  void setUp() {
    learner = new Learner(EgretConfig.defaults());
    drift =
        new DriftAlerts(
            new PolicyChecker(TestPolicies.dnsOnly("10.98.0.0/16", "10.98.0.2")),
            learner,
            HOUR,
            alerts::add);
  }

  @Test
  void anAllowedFlowRaisesNothing() {
    drift.flowStarted(key("10.98.0.1", 40000, "10.98.0.2", 53, Protocols.UDP), T0, false);
    assertEquals(0, drift.blocked());
    assertTrue(alerts.isEmpty());
  }

  /** A directed broadcast is chatter, as the learner counts it: no alert, however blocked. */
  @Test
  void aFlowStartedByALinkBroadcastRaisesNothing() {
    drift.flowStarted(key("10.98.0.1", 138, "10.98.0.255", 138, Protocols.UDP), T0, true);
    assertEquals(0, drift.blocked());
    assertTrue(alerts.isEmpty());
    drift.flowStarted(key("10.98.0.1", 138, "10.98.0.255", 138, Protocols.UDP), T0, false);
    assertEquals(1, drift.blocked(), "the same flow as unicast would be blocked");
  }

  @Test
  void aBlockedEgressFlowRaisesOneAlertWithItsFields() {
    drift.flowStarted(key("10.98.0.1", 40000, "203.0.113.9", 443, Protocols.TCP), T0, false);
    assertEquals(1, alerts.size());
    DriftAlerts.Alert a = alerts.get(0);
    assertEquals("10.98.0.1", a.host());
    assertEquals("203.0.113.9", a.destination());
    assertEquals("tcp", a.protocol());
    assertEquals(443, a.port());
    assertEquals("", a.name());
    assertEquals("2024-05-01T08:00:00Z would block 10.98.0.1 -> 203.0.113.9 tcp/443", a.text());
  }

  @Test
  void theSamePortToAnotherResolverIsBlocked() {
    drift.flowStarted(key("10.98.0.1", 40000, "10.98.0.3", 53, Protocols.UDP), T0, false);
    assertEquals(1, alerts.size());
  }

  @Test
  void icmpIsCheckedByTheTypeTheHostSent() {
    drift.flowStarted(key("10.98.0.1", 8, "10.98.0.2", 0, Protocols.ICMP), T0, false);
    assertEquals(1, alerts.size());
    assertEquals(8, alerts.get(0).port());
    assertEquals("icmp", alerts.get(0).protocol());
  }

  @Test
  void inboundAndOutsideFlowsAreNotChecked() {
    drift.flowStarted(key("203.0.113.9", 40000, "10.98.0.1", 22, Protocols.TCP), T0, false);
    drift.flowStarted(key("203.0.113.9", 40000, "198.51.100.1", 22, Protocols.TCP), T0, false);
    assertEquals(0, drift.blocked());
  }

  @Test
  void repeatsWithinThePeriodAreCountedNotAlerted() {
    FlowKey k = key("10.98.0.1", 40000, "203.0.113.9", 443, Protocols.TCP);
    drift.flowStarted(k, T0, false);
    drift.flowStarted(
        key("10.98.0.1", 40001, "203.0.113.9", 443, Protocols.TCP), T0 + HOUR / 2, false);
    assertEquals(1, alerts.size());
    assertEquals(2, drift.blocked());
    drift.flowStarted(key("10.98.0.1", 40002, "203.0.113.9", 443, Protocols.TCP), T0 + HOUR, false);
    assertEquals(2, alerts.size(), "a new alert once the period has passed");
    assertEquals(2, drift.alerts());
  }

  @Test
  void anotherPortIsAnotherAlert() {
    drift.flowStarted(key("10.98.0.1", 40000, "203.0.113.9", 443, Protocols.TCP), T0, false);
    drift.flowStarted(key("10.98.0.1", 40001, "203.0.113.9", 80, Protocols.TCP), T0 + 1, false);
    assertEquals(2, alerts.size());
  }

  @Test
  void theNameIsTheOneTheHostResolved() {
    NameObserver names = drift.names(learner);
    IpAddress host = IpAddress.parse("10.98.0.1");
    IpAddress dest = IpAddress.parse("203.0.113.9");
    names.dnsAnswer(T0, host.hi(), host.lo(), "evil.example", dest.hi(), dest.lo(), 60);
    drift.flowStarted(key("10.98.0.1", 40000, "203.0.113.9", 443, Protocols.TCP), T0 + 1, false);
    assertEquals("evil.example", alerts.get(0).name());
    assertTrue(alerts.get(0).text().contains("(evil.example)"), alerts.get(0).text());
    assertEquals(1, learner.nameCount(), "the learner still gets the name");
  }

  @Test
  void jsonHasEveryField() throws Exception {
    drift.flowStarted(key("10.98.0.1", 40000, "203.0.113.9", 443, Protocols.TCP), T0, false);
    JsonNode j = new ObjectMapper().readTree(alerts.get(0).json());
    assertEquals("2024-05-01T08:00:00Z", j.get("time").asText());
    assertEquals("would-block", j.get("event").asText());
    assertEquals("10.98.0.1", j.get("host").asText());
    assertEquals("203.0.113.9", j.get("destination").asText());
    assertEquals("tcp", j.get("protocol").asText());
    assertEquals(443, j.get("port").asInt());
    assertEquals("", j.get("name").asText());
  }
}
