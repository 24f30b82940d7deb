package dev.egret.compile;

import java.util.Map;
import java.util.regex.Pattern;

/** What the tests know of each target's text: where its comments are (wire names may go there). */
final class RuleText {
  /** Per target, the comments of a compiled file: outside them, no wire text may appear. */
  static final Map<String, Pattern> COMMENTS =
      Map.of(
          "iptables", Pattern.compile("--comment \"[^\"\n]*\"|^#.*$", Pattern.MULTILINE),
          "nftables", Pattern.compile("comment \"[^\"\n]*\"|^#.*$", Pattern.MULTILINE),
          "ufw", Pattern.compile("comment '[^'\n]*'|^#.*$", Pattern.MULTILINE),
          "capirca", Pattern.compile("comment:: \"[^\"\n]*\"|^#.*$", Pattern.MULTILINE),
          "dnsmasq", Pattern.compile("^#.*$", Pattern.MULTILINE),
          "dnsmasq-ipset", Pattern.compile("^#.*$", Pattern.MULTILINE));

  private RuleText() {}
}
