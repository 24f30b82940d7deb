package dev.egret.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.egret.io.AtomicFile;
import dev.egret.io.FileKinds;
import dev.egret.io.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions file ({@code decisions.yaml}): {@code apiVersion: egret/v1}, {@code kind:
 * Decisions} and a list {@code decisions} of {@code id}, {@code action} ({@code allow}, {@code
 * deny} or {@code ignore}), {@code date} and {@code note}. Read strictly: a bad id, action, date or
 * key, or text that is not YAML, is one message naming the file and line. Decisions are added by
 * appending to the file's text, so a person's comments stay; the whole file is then replaced at
 * once ({@link AtomicFile}).
 */
public final class DecisionsYaml {
  public static final String KIND = "Decisions";

  /** The default file name, beside the baseline. */
  public static final String FILE = "decisions.yaml";

  /** Longest note kept. */
  static final int MAX_NOTE = 1000;

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .disable(YAMLGenerator.Feature.SPLIT_LINES)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                  .stringQuotingChecker(new PolicyYaml.Quoting())
                  .build())
          .build();

  private static final String HEADER =
      "# Review decisions for egret policy: allow, deny or ignore, by id (egret review POLICY).\n"
          + "# A later line on the same id replaces an earlier one.\n"
          + "apiVersion: "
          + Policy.API_VERSION
          + "\nkind: "
          + KIND
          + "\ndecisions:\n";

  private DecisionsYaml() {}

  /** The decisions in {@code file}; none when it does not exist. */
  public static Decisions read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Decisions.none();
    }
    return new Decisions(parse(text(file), file.toString()));
  }

  /** The file's text: a directory, a binary file or bytes that are not UTF-8 refused by name. */
  private static String text(Path file) throws IOException {
    byte[] bytes = TextFiles.read(file, "a decisions file");
    FileKinds.expectText(bytes, Math.min(bytes.length, 64), file.toString(), "a decisions file");
    return TextFiles.utf8(bytes, file.toString());
  }

  /** The decisions in {@code text}, in file order; {@code name} names it in messages. */
  public static List<Decision> parse(String text, String name) {
    List<Decision> out = new ArrayList<>();
    try (JsonParser p = MAPPER.getFactory().createParser(text)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken t = p.nextToken();
      if (t == null) {
        return out;
      }
      if (t != JsonToken.START_OBJECT) {
        throw error(name, p, "expected apiVersion, kind and decisions");
      }
      boolean api = false;
      boolean kind = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        switch (key) {
          case "apiVersion" -> {
            if (!Policy.API_VERSION.equals(scalar(name, p, v, key))) {
              throw error(name, p, "unsupported apiVersion (expected " + Policy.API_VERSION + ")");
            }
            api = true;
          }
          case "kind" -> {
            if (!KIND.equals(scalar(name, p, v, key))) {
              throw error(name, p, "kind is not " + KIND);
            }
            kind = true;
          }
          case "decisions" -> {
            if (v == JsonToken.VALUE_NULL) {
              continue;
            }
            if (v != JsonToken.START_ARRAY) {
              throw error(name, p, "decisions is not a list");
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
              out.add(decision(name, p));
            }
          }
          default -> throw error(name, p, "unknown key \"" + clip(key) + "\"");
        }
      }
      if (!api || !kind) {
        throw new PolicyException(
            name + ": missing " + (api ? "kind: " + KIND : "apiVersion: " + Policy.API_VERSION));
      }
      return out;
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String where = l == null || l.getLineNr() < 1 ? "" : ":" + l.getLineNr();
      throw new PolicyException(
          name + where + ": not a valid decisions file: " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new PolicyException(name + ": " + e.getMessage(), e);
    }
  }

  private static Decision decision(String name, JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw error(name, p, "a decision is id, action, date and note, not a single value");
    }
    int line = p.currentLocation().getLineNr();
    DecisionId id = null;
    Decision.Action action = null;
    String date = null;
    String note = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      String s = scalar(name, p, v, key);
      switch (key) {
        case "id" -> {
          try {
            id = DecisionId.parse(s);
          } catch (PolicyException e) {
            throw error(name, p, e.getMessage());
          }
        }
        case "action" -> {
          action = Decision.Action.of(s);
          if (action == null) {
            throw error(name, p, "bad action \"" + clip(s) + "\" (expected allow, deny or ignore)");
          }
        }
        case "date" -> {
          try {
            date = LocalDate.parse(s).toString();
          } catch (DateTimeParseException e) {
            throw error(name, p, "bad date \"" + clip(s) + "\" (expected YYYY-MM-DD)");
          }
        }
        case "note" -> {
          if (s.length() > MAX_NOTE) {
            throw error(name, p, "note longer than " + MAX_NOTE + " characters");
          }
          note = s;
        }
        default -> throw error(name, p, "unknown key \"" + clip(key) + "\" in a decision");
      }
    }
    if (id == null || action == null) {
      throw new PolicyException(
          name + ":" + line + ": a decision needs " + (id == null ? "an id" : "an action"));
    }
    return new Decision(id, action, date, note, line);
  }

  private static String scalar(String name, JsonParser p, JsonToken v, String key)
      throws IOException {
    if (v == null || !v.isScalarValue() || v == JsonToken.VALUE_NULL) {
      throw error(name, p, key + " is not a single value");
    }
    return p.getValueAsString();
  }

  private static PolicyException error(String name, JsonParser p, String what) {
    return new PolicyException(name + ":" + p.currentLocation().getLineNr() + ": " + what);
  }

  /** Wire-derived text in a message: bounded; the error handler escapes it for the terminal. */
  private static String clip(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid YAML";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * Adds a decision at the end of the file (created when missing), keeping its text and comments,
   * and replaces the file at once. The file is read first: a file that is not a valid decisions
   * file is refused, never overwritten.
   */
  public static void append(Path file, Decision d) throws IOException {
    String old = Files.exists(file) ? text(file) : "";
    List<Decision> before = parse(old, file.toString());
    String item = item(d);
    String text;
    if (old.isBlank()) {
      text = HEADER + item;
    } else {
      text = (old.endsWith("\n") ? old : old + "\n") + item;
      List<Decision> after;
      try {
        after = parse(text, file.toString());
      } catch (PolicyException e) {
        after = List.of();
      }
      if (after.size() != before.size() + 1) {
        // The file's layout (a flow list, say) takes no appended item: write it out whole.
        List<Decision> all = new ArrayList<>(before);
        all.add(d);
        StringBuilder sb = new StringBuilder(HEADER);
        all.forEach(x -> sb.append(item(x)));
        text = sb.toString();
      }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    AtomicFile.write(file, bytes);
  }

  /** One decision as an item of the {@code decisions} list, every value quoted as needed. */
  static String item(Decision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id().toString());
    m.put("action", d.action().id());
    if (d.date() != null) {
      m.put("date", d.date());
    }
    if (d.note() != null && !d.note().isEmpty()) {
      m.put("note", d.note());
    }
    try {
      String y = MAPPER.writeValueAsString(Map.of("decisions", List.of(m)));
      return y.substring(y.indexOf('\n') + 1);
    } catch (JsonProcessingException e) {
      throw new PolicyException("cannot write decision: " + e.getOriginalMessage(), e);
    }
  }
}
