package dev.egret.capture;

import java.nio.file.Path;

/** What to say when the process may not capture: what is needed and three ways to get it. */
final class PermissionHelp {
  private PermissionHelp() {}

  static String message(String libpcapSays) {
    Path java = Path.of(System.getProperty("java.home", "/usr"), "bin", "java");
    return "no permission to capture ("
        + libpcapSays
        + "). Live capture needs CAP_NET_RAW and CAP_NET_ADMIN: run egret as root, or grant them"
        + " to the java binary with: sudo setcap cap_net_raw,cap_net_admin+eip "
        + java
        + " (then java ignores LD_LIBRARY_PATH: add its lib/ directory to /etc/ld.so.conf.d), or run"
        + " it as the systemd unit scripts/egret-capture.service, which grants them to an"
        + " unprivileged user";
  }
}
