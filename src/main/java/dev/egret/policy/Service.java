package dev.egret.policy;

import dev.egret.baseline.Entry;

/** A (protocol, port) as one key, {@code tcp/443}: the unit rules and spreads are counted on. */
final class Service {
  private Service() {}

  static String of(Entry e) {
    return of(e.protocol(), e.port());
  }

  static String of(String protocol, int port) {
    return protocol + "/" + port;
  }

  static String protocol(String service) {
    return service.substring(0, service.lastIndexOf('/'));
  }

  static int port(String service) {
    return Integer.parseInt(service.substring(service.lastIndexOf('/') + 1));
  }
}
