package dev.egret.cli;

import dev.egret.compile.CompileOptions;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code --mode} and {@code --host} as compile and resolve read them: which rules apply where. */
final class CompileScope {
  private CompileScope() {}

  /**
   * Options for {@code mode} ({@code host} or {@code gateway}, any case) with {@code hosts} parsed;
   * the caller sets the rest and builds.
   *
   * @throws UserError for a mode that is neither, or a host that is not an address
   */
  static CompileOptions.Builder of(String mode, List<String> hosts) {
    CompileOptions.Mode m =
        switch (mode.toLowerCase(Locale.ROOT)) {
          case "host" -> CompileOptions.Mode.HOST;
          case "gateway" -> CompileOptions.Mode.GATEWAY;
          default -> throw new UserError("--mode must be host or gateway, not \"" + mode + "\"");
        };
    List<IpAddress> addrs = new ArrayList<>();
    for (String h : hosts) {
      try {
        addrs.add(IpAddress.parse(h));
      } catch (IllegalArgumentException e) {
        throw new UserError("--host: " + e.getMessage());
      }
    }
    return CompileOptions.builder(m).hosts(addrs);
  }
}
