package dev.egret.cli;

import dev.egret.capture.LiveDevice;
import dev.egret.capture.Pcap4jLiveSource;
import dev.egret.io.Escape;
import dev.egret.net.IpAddress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code egret interfaces}: the devices {@code egret capture -i} can open. */
@Command(
    name = "interfaces",
    header = "List capture devices.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:devices listed", "2:libpcap could not be loaded or could not list devices"},
    description = {
      "List the capture devices libpcap sees, with their state and addresses.",
      "Devices that need privileges to open are listed all the same; capturing on them needs"
          + " CAP_NET_RAW and CAP_NET_ADMIN (see egret capture --help).",
    })
final class InterfacesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<LiveDevice> devices = Pcap4jLiveSource.devices();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-16s %-22s %s%n", "interface", "state", "addresses");
    for (LiveDevice d : devices) {
      List<String> state = new ArrayList<>();
      state.add(d.up() ? "up" : "down");
      if (d.running()) {
        state.add("running");
      }
      if (d.loopback()) {
        state.add("loopback");
      }
      String desc = d.description().isEmpty() ? "" : "  (" + d.description() + ")";
      out.printf(
          "%-16s %-22s %s%s%n",
          Escape.forTerminal(d.name()),
          String.join(",", state),
          d.addresses().isEmpty() ? "-" : String.join(" ", canonical(d.addresses())),
          Escape.forTerminal(desc));
    }
    out.flush();
    spec.commandLine()
        .getErr()
        .println(
            "egret: "
                + devices.size()
                + " capture devices ("
                + Pcap4jLiveSource.libraryVersion()
                + ")");
    return ExitCodes.OK;
  }

  /** Addresses in egret's own notation (RFC 5952 for IPv6), scope ids kept. */
  private static List<String> canonical(List<String> addrs) {
    List<String> out = new ArrayList<>();
    for (String a : addrs) {
      int pct = a.indexOf('%');
      String bare = pct < 0 ? a : a.substring(0, pct);
      try {
        out.add(IpAddress.parse(bare) + (pct < 0 ? "" : a.substring(pct)));
      } catch (IllegalArgumentException e) {
        out.add(Escape.forTerminal(a));
      }
    }
    return out;
  }
}
