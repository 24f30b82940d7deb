package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every golden file, and every generated file, is loaded by the real tool in a fresh network
 * namespace: ipset restore, iptables-restore --test and a real load twice (reload), the same for
 * ip6tables; nft -c -f with and without the table present and nft -f twice; ufw --dry-run for each
 * command of the script; Capirca's aclgen on the exported policy, for every platform opened.
 */
class RealToolsTest {
  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> goldenAndGeneratedFilesLoadInTheRealTools() {
    List<DynamicTest> tests = new ArrayList<>();
    for (CompileCases.Case c : CompileCases.all()) {
      tests.add(
          DynamicTest.dynamicTest(
              c.target() + "/" + c.name(),
              () -> {
                CompiledRules generated = c.compile();
                String golden =
                    Files.exists(c.golden())
                        ? Files.readString(c.golden(), StandardCharsets.UTF_8)
                        : "";
                Map<String, String> goldenFiles = CompileCases.parse(golden);
                if (generated == null) {
                  assertTrue(golden.startsWith("error: "), "golden should hold the error");
                  return;
                }
                validate(c.target(), generated.files(), tmp.resolve(c.target() + "-" + c.name()));
                if (!goldenFiles.equals(generated.files()) && !goldenFiles.isEmpty()) {
                  validate(c.target(), goldenFiles, tmp.resolve("golden-" + c.name()));
                }
              }));
    }
    for (String p : CompileCases.policyNames()) {
      tests.add(
          DynamicTest.dynamicTest(
              "iptables/" + p + "-standalone",
              () -> {
                CompiledRules r =
                    new IptablesCompiler()
                        .compile(
                            CompileCases.policy(p),
                            CompileOptions.builder(CompileOptions.Mode.HOST)
                                .allRoles(true)
                                .standalone(true)
                                .build());
                validate("iptables", r.files(), tmp.resolve("standalone-" + p));
              }));
    }
    // One name used by 20 rules of 60-character roles: dnsmasq must take its line.
    for (String t : List.of("dnsmasq", "dnsmasq-ipset", "nftables", "iptables")) {
      for (CompileOptions o :
          List.of(
              CompileOptions.builder(CompileOptions.Mode.HOST).allRoles(true).build(),
              CompileOptions.gateway())) {
        tests.add(
            DynamicTest.dynamicTest(
                t + "/shared-name-" + o.mode(),
                () ->
                    validate(
                        t,
                        CompilerRegistry.get(t).compile(SharedNamePolicy.policy(), o).files(),
                        tmp.resolve("shared-name-" + t + "-" + o.mode()))));
      }
    }
    return tests.stream();
  }

  static void validate(String target, Map<String, String> files, Path dir) throws IOException {
    Files.createDirectories(dir);
    Tools.writeFiles(dir, files);
    switch (target) {
      case "iptables" -> iptables(files, dir);
      case "nftables" -> nftables(dir);
      case "ufw" -> ufw(dir);
      case "capirca" -> capirca(dir);
      case "dnsmasq", "dnsmasq-ipset" -> dnsmasq(dir);
      default -> throw new IllegalArgumentException("no validator for " + target);
    }
  }

  private static void iptables(Map<String, String> files, Path dir) throws IOException {
    Tools.require("iptables-restore", "ip6tables-restore", "ipset", "unshare");
    String sets = files.containsKey("ipset.conf") ? "ipset restore -exist < ipset.conf\n" : "";
    String script =
        sets
            + "iptables-restore --test rules.v4\n"
            + "ip6tables-restore --test rules.v6\n"
            + "iptables-restore --noflush rules.v4\n"
            + "ip6tables-restore --noflush rules.v6\n"
            + "iptables-restore --noflush rules.v4\n"
            + "ip6tables-restore --noflush rules.v6\n"
            + "iptables -S EGRET-EGRESS\n";
    Tools.Result r = Tools.inFreshNetns(script, dir);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("-N EGRET-EGRESS"), r.output());
  }

  private static void nftables(Path dir) throws IOException {
    Tools.require("nft", "unshare");
    String script =
        "nft -c -f egret.nft\n"
            + "nft -f egret.nft\n"
            + "nft -c -f egret.nft\n"
            + "nft -f egret.nft\n"
            + "nft list table inet egret\n";
    Tools.Result r = Tools.inFreshNetns(script, dir);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("policy drop"), r.output());
  }

  /** dnsmasq's own syntax check of the whole file ({@code --test} reads it and exits). */
  private static void dnsmasq(Path dir) throws IOException {
    Tools.require("dnsmasq");
    Tools.Result r =
        Tools.run(
            List.of(
                Tools.find("dnsmasq"),
                "--test",
                "--conf-file=" + dir.resolve(DnsmasqCompiler.FILE)),
            dir,
            30);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("syntax check OK"), r.output());
  }

  /** The ufw commands checked so far in this run, one a line. */
  private static final Path UFW_CHECKED = ufwChecked();

  private static Path ufwChecked() {
    try {
      Path p = Files.createTempFile("egret-ufw-checked-", ".txt");
      p.toFile().deleteOnExit();
      return p;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void ufw(Path dir) throws IOException {
    Tools.require("ufw", "unshare");
    // Each ufw command of the script, as ufw --dry-run (which parses and prints, changing nothing);
    // enable is the one command dry-run does not model, so it is left out.
    // A command already checked (the gateway scripts share their inside-network lines) is not
    // checked again: each ufw run starts Python, a second or so on a busy machine.
    String script =
        "ufw() { case \"$*\" in *enable*) return 0;; esac;"
            + " if ! grep -qxF -- \"$*\" \"$EGRET_UFW_CHECKED\"; then"
            + " /usr/sbin/ufw --dry-run \"$@\" > /dev/null; echo \"$*\" >> \"$EGRET_UFW_CHECKED\"; fi;"
            + " echo \"checked: ufw $*\"; }\n"
            + "EGRET_UFW_CHECKED='"
            + UFW_CHECKED
            + "'\n"
            + ". ./egret-ufw.sh\n";
    Tools.Result r = Tools.inFreshNetns(script, dir);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("checked: ufw default"), r.output());
  }

  private static void capirca(Path dir) throws IOException {
    Tools.require("aclgen");
    Files.createDirectories(dir.resolve("out"));
    Tools.Result r =
        Tools.run(
            List.of(
                Tools.find("aclgen"),
                "--base_directory=policies",
                "--definitions_directory=def",
                "--output_directory=out"),
            dir,
            120);
    assertEquals(0, r.exit(), r.output());
    assertTrue(!r.output().contains("with errors"), r.output());
    String pol = Files.readString(dir.resolve("policies/pol/egret.pol"), StandardCharsets.UTF_8);
    int opened = 0;
    for (CapircaPlatform p : CapircaPlatform.ALL) {
      if (pol.contains("  target:: " + p.name() + " ")) {
        opened++;
        String f = p.output();
        assertTrue(Files.exists(dir.resolve("out").resolve(f)), f + " missing:\n" + r.output());
      }
    }
    assertTrue(opened >= 5, "platforms opened: " + opened + "\n" + pol);
  }
}
