package dev.egret.cli;

import dev.egret.flow.FlowConfig;
import picocli.CommandLine.Option;

/** Flow-tracking options shared by the commands that read packets. */
final class FlowOptions {
  @Option(
      names = "--tcp-idle",
      defaultValue = "5m",
      paramLabel = "DURATION",
      description = "End a TCP flow after this much silence (default: ${DEFAULT-VALUE}).")
  String tcpIdle;

  @Option(
      names = "--udp-idle",
      defaultValue = "1m",
      paramLabel = "DURATION",
      description = "End a UDP or ICMP flow after this much silence (default: ${DEFAULT-VALUE}).")
  String udpIdle;

  @Option(
      names = "--max-flows",
      defaultValue = "1000000",
      paramLabel = "N",
      description =
          "Flows tracked at once; past it the longest-idle end early and are counted"
              + " (default: ${DEFAULT-VALUE}).")
  int maxFlows;

  @Option(
      names = "--decapsulate",
      description =
          "Also learn the flows inside tunnels: IP in IP, GRE, ERSPAN I/II/III, VXLAN (UDP 4789),"
              + " Geneve (6081), GTP-U (2152), Teredo (3544), GRE in UDP (4754). Off by default:"
              + " a firewall filters the outer packets, and anything sent can look like a tunnel;"
              + " use it where the tunnel ends at a host whose traffic you learn, or on an ERSPAN"
              + " or VXLAN mirror. With Zeek logs: the connections Zeek logged inside tunnels"
              + " (tunnel_parents set) are read, where by default they are skipped.")
  boolean decapsulate;

  FlowConfig config() {
    FlowConfig d = FlowConfig.defaults();
    long udp = Durations.parseNanos("--udp-idle", udpIdle);
    if (maxFlows < 16) {
      throw new UserError("--max-flows: " + maxFlows + " is too small (minimum 16)");
    }
    if (maxFlows > FlowConfig.MAX_FLOWS) {
      throw new UserError(
          "--max-flows: " + maxFlows + " is too large (maximum " + FlowConfig.MAX_FLOWS + ")");
    }
    return new FlowConfig(
        Durations.parseNanos("--tcp-idle", tcpIdle),
        udp,
        udp,
        d.closeLingerNanos(),
        maxFlows,
        decapsulate);
  }
}
