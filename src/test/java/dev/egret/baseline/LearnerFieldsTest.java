package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowState;
import dev.egret.flow.InitiatorRule;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A flow handed to the learner by its fields is learned as the record of those fields is: the same
 * baseline, byte for byte, over flows of every kind (egress, inbound, external, chatter, excluded,
 * ICMP, refused, unanswered), and the same refusal of fields no record may hold.
 */
class LearnerFieldsTest {
  private static final String[] ADDRESSES = {
    "10.0.0.1", "10.0.0.2", "192.168.1.7", "10.9.9.9", "8.8.8.8", "93.184.216.34", "224.0.0.251",
    "255.255.255.255", "169.254.1.1", "0.0.0.0", "fd00::1", "fe80::1", "ff02::fb", "2001:db8::1",
    "::"
  };
  private static final int[] PROTOS = {6, 17, 1, 58, 132};

  @Test
  void sameBaselineAsFromRecords() {
    EgretConfig config =
        new EgretConfig(
            null, null, List.of(Cidr.parse("10.9.9.9"), Cidr.parse("2001:db8::1")), false, null);
    Random r = new Random(1130);
    for (int round = 0; round < 20; round++) {
      Learner byRecord = new Learner(config);
      Learner byFields = new Learner(config);
      long t = 1_705_276_800_000_000_000L;
      for (int i = 0; i < 3000; i++) {
        IpAddress a = IpAddress.parse(ADDRESSES[r.nextInt(ADDRESSES.length)]);
        IpAddress b = IpAddress.parse(ADDRESSES[r.nextInt(ADDRESSES.length)]);
        int proto = PROTOS[r.nextInt(PROTOS.length)];
        int initPort = r.nextInt(8) == 0 ? 133 + r.nextInt(6) : r.nextInt(65536);
        int respPort = r.nextBoolean() ? 443 : r.nextInt(65536);
        t += r.nextInt(2_000_000_000);
        long end = t + (r.nextBoolean() ? 0 : r.nextInt(1_000_000_000));
        FlowState state = FlowState.values()[r.nextInt(FlowState.values().length)];
        InitiatorRule rule = InitiatorRule.values()[r.nextInt(InitiatorRule.values().length)];
        long op = r.nextInt(100);
        long ob = op * 60;
        long rp = r.nextInt(3) == 0 ? 0 : r.nextInt(100);
        long rb = rp * 80;
        FlowKey k = new FlowKey(a.hi(), a.lo(), initPort, b.hi(), b.lo(), respPort, proto);
        byRecord.onFlow(new FlowRecord(k, t, end, state, rule, op, ob, rp, rb));
        byFields.onFlow(
            a.hi(), a.lo(), initPort, b.hi(), b.lo(), respPort, proto, t, end, state, rule, op, ob,
            rp, rb);
        if (r.nextInt(500) == 0) {
          byRecord.activeSince(t);
          byFields.activeSince(t);
        }
      }
      assertArrayEquals(
          BaselineJson.toBytes(byRecord.snapshot("t", List.of(), 0, 0, 0, 0)),
          BaselineJson.toBytes(byFields.snapshot("t", List.of(), 0, 0, 0, 0)),
          "round " + round);
    }
  }

  @Test
  void fieldsNoRecordHoldsAreRefusedAsTheRecordRefusesThem() {
    Learner l = new Learner(EgretConfig.defaults());
    IpAddress a = IpAddress.parse("10.0.0.1");
    IpAddress b = IpAddress.parse("8.8.8.8");
    FlowState s = FlowState.ESTABLISHED;
    InitiatorRule rule = InitiatorRule.SYN;
    assertThrows(
        IllegalArgumentException.class,
        () -> l.onFlow(a.hi(), a.lo(), 70000, b.hi(), b.lo(), 443, 6, 5, 6, s, rule, 1, 1, 1, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> l.onFlow(a.hi(), a.lo(), 1, b.hi(), b.lo(), -1, 6, 5, 6, s, rule, 1, 1, 1, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> l.onFlow(a.hi(), a.lo(), 1, b.hi(), b.lo(), 443, 256, 5, 6, s, rule, 1, 1, 1, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> l.onFlow(a.hi(), a.lo(), 1, b.hi(), b.lo(), 443, 6, 6, 5, s, rule, 1, 1, 1, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> l.onFlow(a.hi(), a.lo(), 1, b.hi(), b.lo(), 443, 6, 5, 6, null, rule, 1, 1, 1, 1));
    assertArrayEquals(
        BaselineJson.toBytes(
            new Learner(EgretConfig.defaults()).snapshot("t", List.of(), 0, 0, 0, 0)),
        BaselineJson.toBytes(l.snapshot("t", List.of(), 0, 0, 0, 0)),
        "nothing learned from refused fields");
  }
}
