package dev.egret.e2e;

/** The lines every hand-written policy of the kernel tests starts with, before its roles. */
final class PolicyText {
  static final String HEADER =
      String.join(
          "\n",
          "apiVersion: egret/v1",
          "kind: EgressPolicy",
          "metadata: {windowStart: '2026-11-01T00:00:00Z', windowEnd: '2026-11-08T00:00:00Z',"
              + " days: 7, sources: [test.pcap], packets: 10, malformed: 0, dropped: 0,"
              + " thresholds: {}}");

  private PolicyText() {}
}
