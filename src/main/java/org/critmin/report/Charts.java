package org.critmin.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart (headless) and encoded as PNG. Each method takes data
 * already collected to the driver (a few hundred points at most) and returns a {@link Chart}.
 */
final class Charts {

  /** A drawn chart: its id in the page, the title (the image's alternative text) and PNG bytes. */
  record Chart(String id, String title, byte[] png) {}

  static final int WIDTH = 960;
  static final int HEIGHT = 420;
  private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  /** Colour-blind-safe qualitative palette (Okabe and Ito), then darker greys. */
  private static final Color[] PALETTE = {
      new Color(0x00, 0x72, 0xB2), new Color(0xE6, 0x9F, 0x00), new Color(0x00, 0x9E, 0x73),
      new Color(0xD5, 0x5E, 0x00), new Color(0xCC, 0x79, 0xA7), new Color(0x56, 0xB4, 0xE9),
      new Color(0xF0, 0xE4, 0x42), new Color(0x00, 0x00, 0x00), new Color(0x88, 0x88, 0x88),
      new Color(0x44, 0x44, 0x44)};

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /**
   * HHI (upper panel) and top-3 share (lower panel) of one mineral over periods, a line per stage.
   * {@code hhi} and {@code top3} hold series = stage, category = period.
   */
  static Chart trend(String id, String mineral, DefaultCategoryDataset hhi,
      DefaultCategoryDataset top3, boolean monthly) {
    CategoryAxis periods = new CategoryAxis("period");
    if (monthly || hhi.getColumnCount() > 12) {
      periods.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(periods);
    NumberAxis hhiAxis = new NumberAxis("HHI (0-10000)");
    hhiAxis.setRange(0, 10000);
    NumberAxis top3Axis = new NumberAxis("top-3 share");
    top3Axis.setRange(0, 1.0);
    plot.add(style(new CategoryPlot(hhi, null, hhiAxis, lines())), 3);
    LineAndShapeRenderer top3Lines = lines();
    // Both panels draw the same stages in the same colours: one legend is enough.
    top3Lines.setDefaultSeriesVisibleInLegend(false);
    plot.add(style(new CategoryPlot(top3, null, top3Axis, top3Lines)), 2);
    plot.setGap(8);
    return draw(id, "Supply concentration of " + mineral + " by stage", plot, HEIGHT + 60);
  }

  /** Bars of {@code data} (series side by side per category). */
  static Chart bars(String id, String title, CategoryDataset data, String valueLabel,
      Double upperBound) {
    NumberAxis values = new NumberAxis(valueLabel);
    if (upperBound != null) {
      values.setRange(0, upperBound);
    }
    BarRenderer renderer = new BarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.02);
    CategoryPlot plot = style(new CategoryPlot(data, categoryAxis(data), values, renderer));
    return draw(id, title, plot, HEIGHT);
  }

  /** Lines of {@code data} over its categories (series = line, category = period). */
  static Chart lines(String id, String title, CategoryDataset data, String valueLabel) {
    CategoryAxis periods = new CategoryAxis("period");
    if (data.getColumnCount() > 12) {
      periods.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    CategoryPlot plot = style(new CategoryPlot(data, periods, new NumberAxis(valueLabel),
        lines()));
    return draw(id, title, plot, HEIGHT);
  }

  /**
   * Horizontal stacked bars, one per category, each segment labelled with {@code labels}
   * (series key + "|" + category key to label), e.g. the ISO3 code of the supplier of a segment.
   */
  static Chart stackedBars(String id, String title, CategoryDataset data, String valueLabel,
      Double upperBound, Map<String, String> labels) {
    NumberAxis values = new NumberAxis(valueLabel);
    if (upperBound != null) {
      values.setRange(0, upperBound);
    }
    StackedBarRenderer renderer = new StackedBarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    if (!labels.isEmpty()) {
      renderer.setDefaultItemLabelGenerator(new SegmentLabels(labels));
      renderer.setDefaultItemLabelsVisible(true);
      renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    }
    CategoryPlot plot = style(new CategoryPlot(data, new CategoryAxis(null), values, renderer));
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    int height = Math.max(HEIGHT, 60 + 26 * data.getColumnCount());
    return draw(id, title, plot, height);
  }

  /**
   * Point estimates with confidence intervals, one row per label (a coefficient plot), with a
   * reference line at zero.
   */
  static Chart intervals(String id, String title, List<String> labels, double[] estimate,
      double[] low, double[] high, String valueLabel) {
    YIntervalSeries series = new YIntervalSeries("estimate with confidence interval");
    for (int i = 0; i < labels.size(); i++) {
      series.add(i, estimate[i], low[i], high[i]);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(series);
    SymbolAxis terms = new SymbolAxis(null, labels.toArray(String[]::new));
    terms.setGridBandsVisible(false);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDefaultLinesVisible(false);
    renderer.setSeriesPaint(0, PALETTE[0]);
    renderer.setErrorStroke(new BasicStroke(2f));
    XYPlot plot = new XYPlot(data, terms, new NumberAxis(valueLabel), renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.addRangeMarker(new ValueMarker(0, Color.GRAY, new BasicStroke(1f)));
    style(plot);
    return draw(id, title, plot, Math.max(HEIGHT, 80 + 24 * labels.size()));
  }

  /** Event-study coefficients by period relative to the event, a line and band per event. */
  static Chart eventStudy(String id, String title, YIntervalSeriesCollection data) {
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      Color color = PALETTE[i % PALETTE.length];
      renderer.setSeriesPaint(i, color);
      renderer.setSeriesFillPaint(i, color);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    renderer.setAlpha(0.18f);
    NumberAxis relative = new NumberAxis("period relative to the event");
    relative.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot = new XYPlot(data, relative, new NumberAxis("estimate (95% CI)"), renderer);
    plot.addRangeMarker(new ValueMarker(0, Color.GRAY, new BasicStroke(1f)));
    plot.addDomainMarker(new ValueMarker(-0.5, Color.GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f)));
    style(plot);
    return draw(id, title, plot, HEIGHT);
  }

  private static LineAndShapeRenderer lines() {
    LineAndShapeRenderer renderer = new LineAndShapeRenderer(true, true);
    renderer.setAutoPopulateSeriesShape(false);
    renderer.setDefaultShape(new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
    for (int i = 0; i < PALETTE.length; i++) {
      renderer.setSeriesPaint(i, PALETTE[i]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    return renderer;
  }

  private static CategoryAxis categoryAxis(CategoryDataset data) {
    CategoryAxis axis = new CategoryAxis(null);
    if (data.getColumnCount() > 8) {
      axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    axis.setCategoryMargin(0.15);
    return axis;
  }

  private static CategoryPlot style(CategoryPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlinesVisible(false);
    plot.setOutlineVisible(false);
    if (plot.getRenderer() instanceof BarRenderer bars) {
      for (int i = 0; i < PALETTE.length; i++) {
        bars.setSeriesPaint(i, PALETTE[i]);
      }
    }
    return plot;
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlinePaint(GRID);
    plot.setOutlineVisible(false);
  }

  private static Chart draw(String id, String title, org.jfree.chart.plot.Plot plot, int height) {
    JFreeChart chart = new JFreeChart(null, TITLE_FONT, plot, true);
    chart.setTitle(new TextTitle(title, TITLE_FONT));
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    try {
      return new Chart(id, title, ChartUtils.encodeAsPNG(chart.createBufferedImage(WIDTH,
          height)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode chart " + id, e);
    }
  }

  /** Labels each stacked segment from a map keyed by "series|category". */
  private record SegmentLabels(Map<String, String> labels) implements CategoryItemLabelGenerator {
    @Override
    public String generateRowLabel(CategoryDataset dataset, int row) {
      return dataset.getRowKey(row).toString();
    }

    @Override
    public String generateColumnLabel(CategoryDataset dataset, int column) {
      return dataset.getColumnKey(column).toString();
    }

    @Override
    public String generateLabel(CategoryDataset dataset, int row, int column) {
      return labels.get(dataset.getRowKey(row) + "|" + dataset.getColumnKey(column));
    }
  }
}
