package dev.egret.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A man page in roff ({@code man -l egret-drops.1}) from a command's picocli model: the same
 * header, description, options, exit codes and examples as its {@code --help}, so the two cannot
 * drift apart. No date or version goes in, so the page is byte-deterministic.
 */
final class ManPage {
  private ManPage() {}

  /**
   * The page's file name: {@code egret.1}, {@code egret-drops.1}, {@code egret-baseline-show.1}.
   */
  static String fileName(CommandSpec spec) {
    return spec.qualifiedName("-") + ".1";
  }

  static String page(CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    String name = spec.qualifiedName("-");
    StringBuilder sb = new StringBuilder();
    sb.append(".TH ")
        .append(name.toUpperCase(Locale.ROOT))
        .append(" 1 \"\" \"egret\" \"egret manual\"\n");
    sb.append(".SH NAME\n").append(escape(name)).append(" \\- ");
    sb.append(escape(String.join(" ", spec.usageMessage().header()))).append('\n');
    sb.append(".SH SYNOPSIS\n.nf\n");
    Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
    String synopsis = help.synopsis(0).replaceFirst("^Usage: ", "").stripTrailing();
    sb.append(lines(synopsis)).append("\n.fi\n");
    String[] description = spec.usageMessage().description();
    if (description.length > 0) {
      sb.append(".SH DESCRIPTION\n");
      for (String p : description) {
        sb.append(".PP\n").append(lines(format(p))).append('\n');
      }
    }
    List<CommandLine> subs = new ArrayList<>(cl.getSubcommands().values());
    subs.removeIf(
        s -> s.getCommandSpec().usageMessage().hidden() || s.getCommandName().equals("help"));
    if (!subs.isEmpty()) {
      sb.append(".SH COMMANDS\n");
      for (CommandLine s : subs) {
        sb.append(".TP\n\\fB").append(escape(s.getCommandName())).append("\\fR\n");
        sb.append(escape(String.join(" ", s.getCommandSpec().usageMessage().header())));
        sb.append(" See \\fB")
            .append(escape(s.getCommandSpec().qualifiedName("-")))
            .append("\\fR(1).\n");
      }
    }
    List<PositionalParamSpec> params = spec.positionalParameters();
    List<OptionSpec> options = spec.options();
    if (!params.isEmpty() || !options.isEmpty()) {
      sb.append(".SH OPTIONS\n");
      for (PositionalParamSpec p : params) {
        if (p.hidden()) {
          continue;
        }
        sb.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n");
        sb.append(escape(String.join(" ", p.renderedDescription()))).append('\n');
      }
      for (OptionSpec o : options) {
        if (o.hidden()) {
          continue;
        }
        sb.append(".TP\n");
        List<String> names = new ArrayList<>();
        for (String n : o.names()) {
          names.add("\\fB" + escape(n) + "\\fR");
        }
        sb.append(String.join(", ", names));
        if (o.arity().max() > 0) {
          sb.append(' ').append("\\fI").append(escape(o.paramLabel())).append("\\fR");
        }
        sb.append('\n').append(escape(String.join(" ", o.renderedDescription()))).append('\n');
      }
    }
    Map<String, String> codes = spec.usageMessage().exitCodeList();
    if (!codes.isEmpty()) {
      sb.append(".SH EXIT STATUS\n");
      for (Map.Entry<String, String> c : codes.entrySet()) {
        sb.append(".TP\n\\fB").append(escape(c.getKey().strip())).append("\\fR\n");
        sb.append(escape(c.getValue())).append('\n');
      }
    }
    String[] footer = spec.usageMessage().footer();
    if (footer.length > 0) {
      sb.append(".SH EXAMPLES\n.nf\n");
      for (String f : footer) {
        sb.append(lines(format(f).stripTrailing())).append('\n');
      }
      sb.append(".fi\n");
    }
    if (spec.parent() != null) {
      sb.append(".SH SEE ALSO\n\\fBegret\\fR(1)\n");
    }
    return sb.toString();
  }

  /** picocli's {@code %n} and {@code %%} as they print. */
  private static String format(String s) {
    return s.replace("%n", "\n").replace("%%", "%");
  }

  /** Escaped lines, none starting with a control character. */
  private static String lines(String s) {
    StringBuilder sb = new StringBuilder();
    for (String l : s.split("\n", -1)) {
      String e = escape(l);
      if (e.startsWith(".") || e.startsWith("'")) {
        e = "\\&" + e;
      }
      sb.append(e).append('\n');
    }
    return sb.substring(0, sb.length() - 1);
  }

  /** roff: a backslash is {@code \e}, a hyphen {@code \-} so that it prints and searches as one. */
  static String escape(String s) {
    return s.replace("\\", "\\e").replace("-", "\\-");
  }
}
