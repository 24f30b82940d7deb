package dev.egret.cli;

import dev.egret.io.PcapWriter;
import dev.egret.synth.SiteOptions;
import dev.egret.synth.SiteScenario;
import dev.egret.synth.SynthOptions;
import dev.egret.synth.TrafficGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code egret synth}: writes a synthetic capture for tests and benchmarks. */
@Command(
    name = "synth",
    header = "Write a synthetic capture for tests and benchmarks.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "2:usage error or output that cannot be written"},
    hidden = false,
    description = {
      "Writes a synthetic pcap of a LAN's traffic seen at its gateway: hosts resolving names and"
          + " making TLS, HTTP, SSH, SMTP and NTP connections (some refused, some unanswered),"
          + " pings and inbound web clients, about 5%% IPv6 and some 802.1Q-tagged frames.",
      "With --site, writes a multi-day capture of a small site instead, one file per day, with"
          + " the ground truth of every flow (labels.csv: legit or malicious, and the behaviour):"
          + " web servers calling CDN-backed APIs whose addresses change daily, a mail relay"
          + " delivering to new MX hosts every day, a database that never talks outward, a"
          + " resolver forwarding upstream, workstations browsing new sites every day, NTP, a"
          + " weekly backup, inbound web clients, connections already open at the start; and on"
          + " the last day only, a payload download by a web server, a TLS beacon and an SMTP"
          + " beacon every 30 s with jitter, a scan and a reverse shell from the database.",
      "With --site --profile office, an office instead: a directory server that is also the"
          + " resolver, application servers calling a cloud API whose addresses change hourly, a"
          + " monitoring agent, a package mirror, a smarthost and NTP through a pool name, a build"
          + " host fetching from package registries, printers, workstations with weekends and"
          + " laptops away, QUIC, video calls to relays by address, an outside resolver and DNS"
          + " over TLS, some hosts dual-stack; and on the last day a beacon, a DNS tunnel, UDP"
          + " from source ports 53 and 123, an SSH brute force, a payload over HTTP, a reverse"
          + " shell on 443, a printer scanning the LAN and a device never seen before.",
      "With --site --profile clinic, a medical practice: the router as the resolver, a NAS"
          + " backing up nightly to cloud storage, an HL7 link to a lab partner, card terminals,"
          + " printers, IP cameras on MQTT over TLS, VoIP phones (SIP over UDP and TLS, RTP to media"
          + " servers reached by address), Windows reception PCs and doctors' laptops whose DHCP"
          + " addresses change hands from day to day; and on the last day a Mirai-like camera, a"
          + " ransomware beacon, SMB sweep and upload, SIP toll fraud, a DNS tunnel through the"
          + " site's resolver, and traffic from source ports 53, 123 and 443, to an outside"
          + " resolver and to unnamed addresses on 443.",
      "The same options always give the same bytes.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret synth -o bench.pcap --size 2G",
      "  egret synth -o multiday.pcap --size 400K --days 3 --hosts 6",
      "  egret synth -o - --packets 1000 --hostile | tcpdump -nr -",
      "  egret synth -o bench.pcap --size 2G --zeek bench.conn.log",
      "  egret synth --site -o site/ --days 4 --hosts 12 --seed 7   # site/day1.pcap .. day4.pcap",
      "  egret synth --site --profile office -o office/ --days 5 --hosts 30",
      "  egret synth --site --profile clinic -o clinic/ --days 5 --hosts 30",
    })
final class SynthCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description =
          "The pcap to write (atomically); - for standard output. With --site, a directory"
              + " (created if missing).")
  String output;

  @Option(
      names = "--size",
      paramLabel = "SIZE",
      description =
          "Approximate file size: bytes, or with K, M, G, T (powers of 1024). Default 100M.")
  String size;

  @Option(
      names = "--packets",
      paramLabel = "N",
      description = "Approximate packet count instead of a size.")
  Long packets;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description = "Default ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--start",
      paramLabel = "TIME",
      defaultValue = "2024-01-15T00:00:00Z",
      description = "First timestamp: an ISO instant or a date (UTC). Default ${DEFAULT-VALUE}.")
  String start;

  @Option(
      names = "--days",
      paramLabel = "N",
      description =
          "Spread the traffic over N days; destinations recur on each. Default 1 (4 with --site).")
  Integer days;

  @Option(
      names = "--hosts",
      paramLabel = "N",
      description =
          "Number of internal hosts. Default 50 (12 with --site: 2 web servers, a mail relay, a"
              + " database, a resolver, 7 workstations; a tenth are web servers).")
  Integer hosts;

  @Option(
      names = "--site",
      description = "A multi-day site scenario with ground-truth labels (see above).")
  boolean site;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description =
          "With --site, which site: shop (the default: web servers, a mail relay, a database) or"
              + " office (a directory server that is also the resolver, application servers"
              + " calling cloud APIs, a build host, printers, workstations with weekends and"
              + " laptops, IPv6, QUIC and video calls) or clinic (a router that is the resolver, a"
              + " NAS, phones, cameras, card terminals, reception PCs and laptops on DHCP).")
  String profile;

  @Option(
      names = "--hostile",
      description =
          "Put rule-injection text (newlines, quotes, ;, #, }, $(reboot), NUL, non-ASCII, a"
              + " 300-byte label) into DNS names, TLS SNI and HTTP Host headers.")
  boolean hostile;

  @Option(
      names = "--trojan",
      description = "Add a host that tries TCP port 25 on one address every 30 s, never answered.")
  boolean trojan;

  @Option(names = "--nanos", description = "Write nanosecond timestamps (default microseconds).")
  boolean nanos;

  @Option(
      names = "--zeek",
      paramLabel = "FILE",
      description =
          "Also write the same traffic as a Zeek conn.log (TSV, atomically): the flows egret's"
              + " tracker finds in the generated frames, in Zeek's columns.")
  Path zeek;

  @Override
  public Integer call() throws Exception {
    if (site) {
      return site();
    }
    if (profile != null) {
      throw new UserError("--profile chooses the site of --site; add --site");
    }
    if (size != null && packets != null) {
      throw new UserError("give --size or --packets, not both");
    }
    long bytes = packets == null ? parseSize(size == null ? "100M" : size) : 0;
    long count = packets == null ? 0 : packets;
    if (packets != null && packets <= 0) {
      throw new UserError("--packets must be positive: " + packets);
    }
    if ("-".equals(output) && System.console() != null) {
      throw new UserError("refusing to write a binary capture to a terminal; use -o FILE");
    }
    SynthOptions options;
    try {
      options =
          new SynthOptions(
              seed,
              bytes,
              count,
              parseStart(start),
              days == null ? 1 : days,
              hosts == null ? 50 : hosts,
              hostile,
              trojan);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    PcapWriter.Precision precision =
        nanos ? PcapWriter.Precision.NANOS : PcapWriter.Precision.MICROS;
    TrafficGenerator.Summary summary;
    if (zeek == null) {
      Progress progress = Progress.onTerminal(spec.commandLine().getErr());
      progress.begin("synth: " + output, bytes > 0 ? bytes : -1);
      try (PcapWriter w = PcapWriter.open(output, PcapWriter.LINKTYPE_ETHERNET, precision)) {
        summary =
            new TrafficGenerator(options)
                .run(
                    (t, frame, len) -> {
                      w.write(t, frame, 0, len);
                      progress.advance(len + 16L);
                    });
        w.commit();
      } finally {
        progress.end();
      }
    } else {
      summary = SynthZeek.write(options, output, precision, zeek);
    }
    spec.commandLine()
        .getErr()
        .printf(
            Locale.ROOT,
            "egret synth: wrote %d packets (%d sessions, %d bytes) to %s, %s to %s%n",
            summary.packets(),
            summary.sessions(),
            summary.fileBytes(),
            "-".equals(output) ? "standard output" : output,
            Instant.ofEpochSecond(0, summary.firstNanos()),
            Instant.ofEpochSecond(0, summary.lastNanos()));
    spec.commandLine().getErr().flush();
    return ExitCodes.OK;
  }

  private int site() throws Exception {
    if (size != null || packets != null || hostile || trojan) {
      throw new UserError(
          "--site sets its own traffic: drop --size, --packets, --hostile, --trojan");
    }
    if (zeek != null) {
      throw new UserError("--zeek writes the conn.log of one capture; it does not go with --site");
    }
    if ("-".equals(output)) {
      throw new UserError("--site writes a directory of files: give -o DIR");
    }
    SiteOptions.Profile kind = SiteOptions.Profile.SHOP;
    if (profile != null) {
      kind = null;
      for (SiteOptions.Profile p : SiteOptions.Profile.values()) {
        if (p.id().equals(profile)) {
          kind = p;
        }
      }
      if (kind == null) {
        throw new UserError(
            "--profile: not a site profile: '" + profile + "' (expected shop, office or clinic)");
      }
    }
    SiteOptions options;
    try {
      options =
          new SiteOptions(
              seed, parseStart(start), days == null ? 4 : days, hosts == null ? 12 : hosts, kind);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    Path dir = Path.of(output);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError(output + ": not a directory (--site writes one file per day into it)");
    }
    Files.createDirectories(dir);
    SiteScenario.Summary summary =
        new SiteScenario(options)
            .write(dir, nanos ? PcapWriter.Precision.NANOS : PcapWriter.Precision.MICROS);
    spec.commandLine()
        .getErr()
        .printf(
            Locale.ROOT,
            "egret synth: wrote %d packets (%d conversations) over %d days to %s (%s .. %s, %s)%n",
            summary.packets(),
            summary.conversations(),
            options.days(),
            output,
            SiteScenario.dayFile(1),
            SiteScenario.dayFile(options.days()),
            SiteScenario.LABELS_FILE);
    spec.commandLine().getErr().flush();
    return ExitCodes.OK;
  }

  /** {@code 123}, {@code 500K}, {@code 2G}, {@code 1.5GiB}: a size in bytes, binary multiples. */
  static long parseSize(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    String digits = t.replaceFirst("(I?B)$", "").replaceFirst("I$", "");
    long mult = 1;
    if (!digits.isEmpty()) {
      char unit = digits.charAt(digits.length() - 1);
      int power = "KMGT".indexOf(unit);
      if (power >= 0) {
        mult = 1L << (10 * (power + 1));
        digits = digits.substring(0, digits.length() - 1);
      }
    }
    if (!digits.matches("[0-9]+(\\.[0-9]+)?")) {
      throw new UserError("not a size: '" + text + "' (expected e.g. 500K, 20M, 2G)");
    }
    double v = Double.parseDouble(digits) * mult;
    if (v < 1 || v > 1L << 50) {
      throw new UserError("size out of range: '" + text + "' (1 byte to 1P)");
    }
    return (long) v;
  }

  static Instant parseStart(String text) {
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new UserError(
          "not a time: '" + text + "' (expected e.g. 2024-01-15 or 2024-01-15T08:00:00Z)");
    }
  }
}
