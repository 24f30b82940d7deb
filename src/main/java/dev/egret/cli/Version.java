package dev.egret.cli;

/** egret's version, from the jar manifest ({@code dev} when run from classes). */
final class Version {
  private Version() {}

  static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
