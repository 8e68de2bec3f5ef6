package org.critmin.stats;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * A regression formula in the syntax of R fixest ({@code feols}, {@code fepois}):
 * <pre>
 *   log(y) ~ x1 + log(x2) + x1:x2 + i(rel_period, ref = -1) | fe1 + fe2^fe3
 * </pre>
 * Left of {@code ~}: the outcome, a column or {@code log(column)}. Right of {@code ~} and before
 * {@code |}: terms separated by {@code +}; a term is a column, {@code log(column)}, a product of those
 * joined by {@code :}, or {@code i(column, ref = r)}, one dummy per level of the column except
 * {@code r}, named {@code column::level} as fixest does. After {@code |}: fixed effects separated by
 * {@code +}; {@code a^b} is the fixed effect of each combination of a and b. Fixed effects are absorbed
 * (see {@link FixedEffects}), never expanded into dummies. Without fixed effects an intercept
 * {@code (Intercept)} is added.
 *
 * <p>Parsing is pure; {@link #design} resolves columns against data, finds the levels of
 * {@code i()} terms and builds the estimation sample.
 */
public final class Formula {

  /** Name of the outcome column of a design frame. */
  public static final String Y = "__y";
  /** Name of the intercept term when the formula has no fixed effects. */
  public static final String INTERCEPT = "(Intercept)";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_.][A-Za-z0-9_.]*");
  private static final Pattern LOG = Pattern.compile("log\\(\\s*([^()]*?)\\s*\\)");
  private static final Pattern FACTOR =
      Pattern.compile("i\\(\\s*([^,()]+?)\\s*(?:,\\s*ref\\s*=\\s*([^()]+?)\\s*)?\\)");

  /** A column, possibly logged. */
  record Factor(String column, boolean logged) {
    String label() {
      return logged ? "log(" + column + ")" : column;
    }

    Column expr() {
      Column c = col(column).cast("double");
      return logged ? when(c.gt(0), log(c)) : c;
    }
  }

  /** One right-hand term: a product of factors, or an {@code i()} expansion when factorVar is set. */
  record Term(List<Factor> factors, String factorVar, String ref) {
    boolean categorical() {
      return factorVar != null;
    }

    String label() {
      return String.join(":", factors.stream().map(Factor::label).toList());
    }
  }

  private final String text;
  private final Factor outcome;
  private final List<Term> terms;
  private final List<List<String>> fixedEffects;

  private Formula(String text, Factor outcome, List<Term> terms, List<List<String>> fixedEffects) {
    this.text = text;
    this.outcome = outcome;
    this.terms = terms;
    this.fixedEffects = fixedEffects;
  }

  /** Parses a formula; a syntax error throws a ModelException naming the bad token. */
  public static Formula parse(String formula) {
    if (formula == null || formula.isBlank()) {
      throw new ModelException("regression formula is empty");
    }
    String text = formula.trim().replaceAll("\\s+", " ");
    String[] sides = text.split("~", -1);
    if (sides.length != 2) {
      throw new ModelException("formula '" + text + "' must have exactly one '~'");
    }
    Factor outcome = factor(sides[0].trim(), text);
    String[] parts = sides[1].split("\\|", -1);
    if (parts.length > 2) {
      throw new ModelException("formula '" + text + "' has more than one '|'");
    }
    List<Term> terms = new ArrayList<>();
    for (String token : split(parts[0], text, "regressor")) {
      terms.add(term(token, text));
    }
    List<List<String>> fes = new ArrayList<>();
    if (parts.length == 2) {
      for (String token : split(parts[1], text, "fixed effect")) {
        List<String> cols = Arrays.stream(token.split("\\^", -1)).map(String::trim).toList();
        for (String c : cols) {
          if (!NAME.matcher(c).matches()) {
            throw new ModelException("formula '" + text + "': bad fixed effect '" + token
                + "' (expected column or column^column)");
          }
        }
        fes.add(cols);
      }
    }
    return new Formula(text, outcome, List.copyOf(terms), List.copyOf(fes));
  }

  private static List<String> split(String side, String text, String what) {
    List<String> tokens = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char ch : side.toCharArray()) {
      depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
      if (ch == '+' && depth == 0) {
        tokens.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    tokens.add(cur.toString().trim());
    if (depth != 0) {
      throw new ModelException("formula '" + text + "': unbalanced parentheses in '"
          + side.trim() + "'");
    }
    for (String t : tokens) {
      if (t.isEmpty()) {
        throw new ModelException("formula '" + text + "': empty " + what + " term");
      }
    }
    return tokens;
  }

  private static Term term(String token, String text) {
    Matcher m = FACTOR.matcher(token);
    if (m.matches()) {
      String var = m.group(1).trim();
      if (!NAME.matcher(var).matches()) {
        throw new ModelException("formula '" + text + "': bad variable in '" + token + "'");
      }
      String ref = m.group(2) == null ? null : m.group(2).trim().replaceAll("^[\"']|[\"']$", "");
      if (ref != null && ref.isBlank()) {
        throw new ModelException("formula '" + text + "': bad term '" + token
            + "' (empty reference level)");
      }
      return new Term(List.of(), var, ref);
    }
    if (token.startsWith("i(")) {
      throw new ModelException("formula '" + text + "': bad term '" + token
          + "' (expected i(column) or i(column, ref = value))");
    }
    List<Factor> factors = new ArrayList<>();
    for (String f : token.split(":", -1)) {
      factors.add(factor(f.trim(), text));
    }
    return new Term(List.copyOf(factors), null, null);
  }

  private static Factor factor(String token, String text) {
    Matcher m = LOG.matcher(token);
    if (m.matches() && NAME.matcher(m.group(1)).matches()) {
      return new Factor(m.group(1), true);
    }
    if (NAME.matcher(token).matches()) {
      return new Factor(token, false);
    }
    throw new ModelException("formula '" + text + "': bad term '" + token
        + "' (expected column, log(column), a:b or i(column, ref = value))");
  }

  /** The formula as written (whitespace normalised). */
  public String text() {
    return text;
  }

  /** True if the outcome is {@code log(y)}. */
  public boolean logOutcome() {
    return outcome.logged();
  }

  /** The fixed effects as written, e.g. {@code [exporter^year, importer^year]}. */
  public List<String> fixedEffectLabels() {
    return fixedEffects.stream().map(f -> String.join("^", f)).toList();
  }

  /**
   * Resolves the formula against data and builds the estimation sample: one double column per
   * regressor, one level index per fixed effect and cluster variable (an interaction {@code a^b}
   * is each combination of a and b), complete rows only. Rows with a null in any used column, or
   * a non-positive argument of {@code log}, are left out (their number is
   * {@link Fit#droppedMissing()}).
   *
   * <p>Data of at most {@code inMemoryRows} rows are collected once and fitted in the driver's
   * memory ({@link #design(LocalData, List)}); larger data stay on the executors as persisted
   * blocks. Both give the same numbers.
   *
   * @throws ModelException naming a column missing from the data, a non-numeric regressor, or an
   *     {@code i()} reference level that does not occur
   */
  public Design design(Dataset<Row> data, List<String> clusters, long inMemoryRows) {
    List<String> used = checkColumns(data.schema(), clusters);
    if (inMemoryRows > 0) {
      Dataset<Row> columns = data.select(used.stream().map(c -> col(c)).toArray(Column[]::new));
      List<Row> rows = columns.limit((int) Math.min(inMemoryRows + 1, Integer.MAX_VALUE))
          .collectAsList();
      if (rows.size() <= inMemoryRows) {
        return design(new LocalData(columns.schema(), rows), clusters);
      }
    }
    return distributedDesign(data, clusters);
  }

  /** The design on data held in memory, fitted there (see {@link #design(Dataset, List, long)}). */
  public Design design(LocalData data, List<String> clusters) {
    checkColumns(data.schema(), clusters);
    StructType schema = data.schema();
    List<Row> rows = data.rows();
    List<String> names = new ArrayList<>();
    List<Function<Row, Double>> regressors = new ArrayList<>();
    if (fixedEffects.isEmpty()) {
      names.add(INTERCEPT);
      regressors.add(r -> 1.0);
    }
    for (Term t : terms) {
      if (t.categorical()) {
        int index = schema.fieldIndex(t.factorVar());
        Set<String> values = new LinkedHashSet<>();
        for (Row r : rows) {
          if (!r.isNullAt(index)) {
            values.add(String.valueOf(r.get(index)));
          }
        }
        for (String level : levels(t, new ArrayList<>(values))) {
          names.add(t.factorVar() + "::" + level);
          regressors.add(r -> r.isNullAt(index) ? null
              : level.equals(String.valueOf(r.get(index))) ? 1.0 : 0.0);
        }
      } else {
        List<Function<Row, Double>> factors = new ArrayList<>();
        for (Factor f : t.factors()) {
          factors.add(numeric(schema, f));
        }
        names.add(t.label());
        regressors.add(r -> {
          double product = 1.0;
          for (Function<Row, Double> f : factors) {
            Double v = f.apply(r);
            if (v == null) {
              return null;
            }
            product *= v;
          }
          return product;
        });
      }
    }
    Function<Row, Double> outcomeValue = numeric(schema, outcome);
    List<int[]> feParts = new ArrayList<>();
    for (List<String> fe : fixedEffects) {
      feParts.add(fe.stream().mapToInt(schema::fieldIndex).toArray());
    }
    int[] clusterIndex = clusters.stream().mapToInt(schema::fieldIndex).toArray();

    int k = regressors.size();
    int n = 0;
    double[] y = new double[rows.size()];
    double[][] x = new double[k][rows.size()];
    String[][] fe = new String[feParts.size()][rows.size()];
    String[][] cl = new String[clusterIndex.length][rows.size()];
    rows:
    for (Row r : rows) {
      Double outcomeV = outcomeValue.apply(r);
      if (outcomeV == null) {
        continue;
      }
      for (int j = 0; j < k; j++) {
        Double v = regressors.get(j).apply(r);
        if (v == null) {
          continue rows;
        }
        x[j][n] = v;
      }
      for (int d = 0; d < feParts.size(); d++) {
        String level = level(r, feParts.get(d));
        if (level == null) {
          continue rows;
        }
        fe[d][n] = level;
      }
      for (int c = 0; c < clusterIndex.length; c++) {
        if (r.isNullAt(clusterIndex[c])) {
          continue rows;
        }
        cl[c][n] = String.valueOf(r.get(clusterIndex[c]));
      }
      y[n] = outcomeV;
      n++;
    }
    ModelFrame frame = ModelFrame.inMemory(n, y, x, fe, cl);
    return new Design(this, List.copyOf(names), List.copyOf(clusters), fixedEffects.size(),
        frame, rows.size());
  }

  /** The level of a fixed effect in row r: its columns' values joined, null if one is null. */
  private static String level(Row r, int[] columns) {
    if (columns.length == 1) {
      return r.isNullAt(columns[0]) ? null : String.valueOf(r.get(columns[0]));
    }
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < columns.length; i++) {
      if (r.isNullAt(columns[i])) {
        return null;
      }
      joined.append(i == 0 ? "" : "\u0001").append(r.get(columns[i]));
    }
    return joined.toString();
  }

  /** A factor's value in a row: the column as a double, its log if logged (null unless > 0). */
  private static Function<Row, Double> numeric(StructType schema, Factor f) {
    int index = schema.fieldIndex(f.column());
    return r -> {
      if (r.isNullAt(index)) {
        return null;
      }
      double v = ((Number) r.get(index)).doubleValue();
      if (!f.logged()) {
        return v;
      }
      return v > 0 ? Math.log(v) : null;
    };
  }

  /**
   * The design on the executors: the frame as Spark columns ({@code __y}, {@code __x0...},
   * {@code __fe0...}, {@code __cl0...}; an interaction's levels joined by U+0001), turned into
   * persisted blocks.
   */
  private Design distributedDesign(Dataset<Row> data, List<String> clusters) {
    List<Column> select = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> xCols = new ArrayList<>();
    select.add(outcome.expr().as(Y));
    if (fixedEffects.isEmpty()) {
      xCols.add(xCol(xCols.size()));
      names.add(INTERCEPT);
      select.add(lit(1.0).as(xCols.get(0)));
    }
    for (Term t : terms) {
      if (t.categorical()) {
        List<String> values = data.select(col(t.factorVar()).cast("string").as("v"))
            .where(col("v").isNotNull()).distinct().as(Encoders.STRING()).collectAsList();
        for (String level : levels(t, values)) {
          String name = xCol(xCols.size());
          xCols.add(name);
          names.add(t.factorVar() + "::" + level);
          Column v = col(t.factorVar()).cast("string");
          select.add(when(v.isNull(), lit(null).cast("double"))
              .when(v.equalTo(level), lit(1.0)).otherwise(lit(0.0)).as(name));
        }
      } else {
        Column product = null;
        for (Factor f : t.factors()) {
          product = product == null ? f.expr() : product.multiply(f.expr());
        }
        String name = xCol(xCols.size());
        xCols.add(name);
        names.add(t.label());
        select.add(product.as(name));
      }
    }
    List<String> feCols = new ArrayList<>();
    for (List<String> fe : fixedEffects) {
      Column[] parts = new Column[fe.size()];
      for (int i = 0; i < fe.size(); i++) {
        parts[i] = col(fe.get(i)).cast("string");
      }
      String name = "__fe" + feCols.size();
      feCols.add(name);
      Column joined = parts.length == 1 ? parts[0] : concat_ws("\u0001", parts);
      select.add(when(anyNull(parts), lit(null).cast("string")).otherwise(joined).as(name));
    }
    List<String> clCols = new ArrayList<>();
    for (String c : clusters) {
      // A cluster variable that is also a fixed effect (| exporter + importer clustered by
      // exporter) reuses the fixed effect's level indices.
      int d = fixedEffectLabels().indexOf(c);
      if (d >= 0) {
        clCols.add(feCols.get(d));
        continue;
      }
      String name = "__cl" + clCols.size();
      clCols.add(name);
      select.add(col(c).cast("string").as(name));
    }
    Dataset<Row> frame = data.select(select.toArray(Column[]::new));
    Column complete = lit(true);
    for (String c : frame.columns()) {
      complete = complete.and(col(c).isNotNull());
    }
    frame = frame.where(complete);
    long sourceRows = data.count();
    ModelFrame blocks = ModelFrame.distributed(frame, Y, xCols, feCols, clCols);
    return new Design(this, List.copyOf(names), List.copyOf(clusters), fixedEffects.size(),
        blocks, sourceRows);
  }

  /**
   * Checks that every column the formula and {@code clusters} use is in {@code schema}, and that
   * the outcome and the factors of products are numbers; returns the columns used, in order.
   */
  private List<String> checkColumns(StructType schema, List<String> clusters) {
    Set<String> columns = new LinkedHashSet<>(Arrays.asList(schema.fieldNames()));
    Set<String> used = new LinkedHashSet<>();
    requireColumn(columns, outcome.column());
    requireNumeric(schema, outcome.column());
    used.add(outcome.column());
    for (Term t : terms) {
      if (t.categorical()) {
        requireColumn(columns, t.factorVar());
        used.add(t.factorVar());
      } else {
        for (Factor f : t.factors()) {
          requireColumn(columns, f.column());
          requireNumeric(schema, f.column());
          used.add(f.column());
        }
      }
    }
    for (List<String> fe : fixedEffects) {
      for (String c : fe) {
        requireColumn(columns, c);
        used.add(c);
      }
    }
    for (String c : clusters) {
      requireColumn(columns, c);
      used.add(c);
    }
    return List.copyOf(used);
  }

  private static Column anyNull(Column[] parts) {
    Column any = lit(false);
    for (Column p : parts) {
      any = any.or(p.isNull());
    }
    return any;
  }

  static String xCol(int i) {
    return "__x" + i;
  }

  /**
   * The levels of an i() term among {@code values} (its column's distinct values as strings),
   * sorted numerically when they all are numbers, less the reference.
   */
  private List<String> levels(Term t, List<String> values) {
    List<String> levels = new ArrayList<>(values);
    boolean numeric = levels.stream().allMatch(s -> s.matches("-?\\d+(\\.\\d+)?"));
    levels.sort(numeric ? Comparator.comparingDouble(Double::parseDouble)
        : Comparator.naturalOrder());
    if (t.ref() != null) {
      String ref = levels.stream().filter(l -> sameLevel(l, t.ref(), numeric)).findFirst()
          .orElseThrow(() -> new ModelException("formula '" + text + "': reference level '"
              + t.ref() + "' of i(" + t.factorVar() + ") does not occur in column '"
              + t.factorVar() + "' (levels: " + String.join(", ", levels) + ")"));
      levels.remove(ref);
    }
    return levels;
  }

  private static boolean sameLevel(String level, String ref, boolean numeric) {
    if (numeric && ref.matches("-?\\d+(\\.\\d+)?")) {
      return Double.parseDouble(level) == Double.parseDouble(ref);
    }
    return level.equals(ref);
  }

  private void requireColumn(Set<String> columns, String name) {
    if (!columns.contains(name)) {
      throw new ModelException("formula '" + text + "': column '" + name
          + "' not found in the data (columns: " + String.join(", ", columns) + ")");
    }
  }

  private void requireNumeric(StructType schema, String name) {
    if (!(schema.apply(name).dataType() instanceof NumericType)) {
      throw new ModelException("formula '" + text + "': column '" + name + "' is "
          + schema.apply(name).dataType().simpleString().toLowerCase(Locale.ROOT)
          + ", a number is needed (use i(" + name + ") for a categorical variable)");
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
