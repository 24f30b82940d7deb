package dev.egret.cli;

import dev.egret.io.Escape;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.policy.Anomaly;
import dev.egret.policy.Decision;
import dev.egret.policy.DecisionId;
import dev.egret.policy.Decisions;
import dev.egret.policy.DecisionsYaml;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import dev.egret.policy.ReviewItem;
import dev.egret.policy.Role;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret review POLICY}: the open items with their ids, and decisions about them. */
@Command(
    name = "review",
    header = "List a policy's open items; record allow, deny or ignore decisions.",
    description = {
      "Without an action, list the policy's anomalies (most hostile first) and review items"
          + " (most suspect first) with the id a decision takes, and any decision already"
          + " recorded for it.",
      "With --allow, --deny or --ignore, append that decision about ID to the decisions file"
          + " (atomically); the next egret policy applies it: allow makes a rule, deny withholds"
          + " the traffic and refuses it before any broad rule, ignore stops listing it.",
      "An ID is HOST/PROTOCOL/PORT/DESTINATION as listed, any part * for any, or host:ADDR,"
          + " name:NAME, dest:PREFIX.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed, or the decision recorded", "2:usage error or unreadable input"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret review policy.yaml",
      "  egret review policy.yaml --allow 10.1.0.20/tcp/443/api.partner.example --note 'ticket 42'",
      "  egret review policy.yaml --deny name:evil.example.com",
      "  egret review policy.yaml --ignore host:10.1.0.99 --decisions /etc/egret/decisions.yaml",
    })
final class ReviewCommand implements Callable<Integer> {
  @Parameters(paramLabel = "POLICY")
  Path policy;

  @Option(
      names = "--decisions",
      paramLabel = "FILE",
      description = "The decisions file (default: decisions.yaml beside POLICY).")
  Path decisions;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Action action;

  /** One of the three decisions. */
  static final class Action {
    @Option(names = "--allow", paramLabel = "ID", description = "Record: allow this traffic.")
    String allow;

    @Option(names = "--deny", paramLabel = "ID", description = "Record: deny this traffic.")
    String deny;

    @Option(names = "--ignore", paramLabel = "ID", description = "Record: stop listing it.")
    String ignore;
  }

  @Option(names = "--note", paramLabel = "TEXT", description = "Why, kept with the decision.")
  String note;

  @Spec CommandSpec spec;

  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    Policy p = PolicyYaml.read(policy);
    Path file = decisions != null ? decisions : beside(policy);
    if (action == null) {
      if (note != null) {
        throw new UserError("--note goes with --allow, --deny or --ignore");
      }
      list(p, DecisionsYaml.read(file));
      return ExitCodes.OK;
    }
    Decision.Action what =
        action.allow != null
            ? Decision.Action.ALLOW
            : action.deny != null ? Decision.Action.DENY : Decision.Action.IGNORE;
    String raw =
        action.allow != null ? action.allow : action.deny != null ? action.deny : action.ignore;
    DecisionId id;
    try {
      id = DecisionId.parse(raw);
    } catch (dev.egret.policy.PolicyException e) {
      throw new UserError(e.getMessage());
    }
    if (note != null && note.length() > 1000) {
      throw new UserError("--note is longer than 1000 characters");
    }
    Decision d = new Decision(id, what, LocalDate.now(clock).toString(), note, 0);
    DecisionsYaml.append(file, d);
    PrintWriter err = spec.commandLine().getErr();
    String role = hostWide(id) ? roleOf(p, id.host()) : null;
    if (role != null && what == Decision.Action.DENY) {
      // The way out the policy's warnings give for a host that joined a role (Newcomers).
      err.println(
          "egret: review: "
              + id.host()
              + " is in role "
              + role
              + " of "
              + policy
              + ": the next egret policy leaves it out of every role and withholds all its traffic");
    } else if (role == null && !listed(p, id.toString())) {
      err.println(
          "egret: review: warning: "
              + id
              + " is no open item of "
              + policy
              + " (it applies to whatever it matches when the policy is next generated)");
    }
    err.println("egret: review: recorded " + what.id() + " " + id + " in " + file);
    return ExitCodes.OK;
  }

  static Path beside(Path policy) {
    Path dir = policy.toAbsolutePath().getParent();
    return dir == null ? Path.of(DecisionsYaml.FILE) : dir.resolve(DecisionsYaml.FILE);
  }

  /** An id about all of one host's traffic: {@code host:ADDR}. */
  private static boolean hostWide(DecisionId id) {
    return id.host() != null && id.protocol() == null && id.port() < 0 && id.anyDestination();
  }

  /** The role of the policy that holds the host, or null. */
  private static String roleOf(Policy p, IpAddress host) {
    for (Role r : p.roles()) {
      for (Cidr c : r.hosts()) {
        if (c.contains(host)) {
          return r.name();
        }
      }
    }
    return null;
  }

  private static boolean listed(Policy p, String id) {
    return p.anomalies().stream().anyMatch(a -> id.equals(a.id()))
        || p.review().stream().anyMatch(r -> id.equals(r.id()));
  }

  private void list(Policy p, Decisions ds) {
    Map<String, String> recorded = new HashMap<>();
    for (Decision d : ds.list()) {
      recorded.put(d.id().toString(), d.action().id());
    }
    PrintWriter out = spec.commandLine().getOut();
    String fmt = "%-48s %-20s %8s  %s%n";
    out.printf(fmt, "ID", "KIND", "FLOWS", "WHAT");
    for (Anomaly a : p.anomalies()) {
      row(
          out,
          fmt,
          a.id(),
          a.kind(),
          a.evidence() == null ? 0 : a.evidence().flows(),
          String.join(",", a.destinations())
              + names(a.evidence() == null ? List.of() : a.evidence().names())
              + ": "
              + a.detail(),
          recorded);
    }
    for (ReviewItem r : p.review()) {
      row(
          out,
          fmt,
          r.id(),
          "review",
          r.evidence() == null ? 0 : r.evidence().flows(),
          r.destination() + names(r.names()) + ": " + r.reason(),
          recorded);
    }
    out.flush();
    spec.commandLine()
        .getErr()
        .println(
            "egret: review: "
                + p.anomalies().size()
                + (p.anomalies().size() == 1 ? " anomaly, " : " anomalies, ")
                + p.review().size()
                + (p.review().size() == 1 ? " review item" : " review items"));
  }

  private static String list(List<String> ds) {
    int shown = Math.min(3, ds.size());
    return String.join(",", ds.subList(0, shown))
        + (ds.size() > shown ? " +" + (ds.size() - shown) + " more" : "");
  }

  private static String names(List<String> ns) {
    if (ns.isEmpty()) {
      return "";
    }
    int shown = Math.min(3, ns.size());
    return " ("
        + String.join(", ", ns.subList(0, shown))
        + (ns.size() > shown ? " +" + (ns.size() - shown) + " more" : "")
        + ")";
  }

  private static void row(
      PrintWriter out,
      String fmt,
      String id,
      String kind,
      long flows,
      String what,
      Map<String, String> recorded) {
    String shown = id == null ? "-" : id;
    String decided = id == null ? null : recorded.get(id);
    String text = decided == null ? what : "[" + decided + " recorded] " + what;
    out.printf(
        fmt, Escape.forTerminal(shown), Escape.forTerminal(kind), flows, Escape.forTerminal(text));
  }
}
