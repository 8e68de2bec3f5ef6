package org.critmin.report;

import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page: inline style, charts as PNG data URIs, no external resource of any
 * kind (a Content-Security-Policy forbids them, so the page provably opens offline). Every text
 * put into the page goes through {@link #escape}. A small inline script records, once the page has
 * loaded, how many charts are expected and how many images decoded, and any load error, in
 * {@code data-*} attributes of the body that a headless browser test reads.
 */
final class HtmlPage {
  private static final String STYLE = String.join("\n",
      "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px auto;max-width:1000px;"
          + "color:#222;line-height:1.4}",
      "h1{font-size:26px;margin-bottom:4px}h2{font-size:20px;margin-top:36px;"
          + "border-bottom:2px solid #0072B2;padding-bottom:4px}h3{font-size:16px}",
      "p.note{color:#555;font-size:13px}p.missing{background:#fff4e0;border-left:4px solid #E69F00;"
          + "padding:8px}",
      "img{display:block;max-width:100%;height:auto;margin:12px 0;border:1px solid #eee}",
      "table{border-collapse:collapse;font-size:12px;margin:8px 0}",
      "th,td{border:1px solid #ddd;padding:3px 6px;text-align:left}td.n{text-align:right}",
      "th{background:#f3f6f9}nav a{margin-right:12px}");
  private static final String CHECK_SCRIPT = String.join("\n",
      "window.addEventListener('error',function(e){var b=document.body;",
      "  if(b){b.dataset.loadErrors=String(Number(b.dataset.loadErrors||0)+1);}},true);",
      "window.addEventListener('load',function(){",
      "  var imgs=Array.prototype.slice.call(document.images);",
      "  var ok=imgs.filter(function(i){return i.complete&&i.naturalWidth>0;}).length;",
      "  var b=document.body;",
      "  b.dataset.imagesTotal=String(imgs.length);",
      "  b.dataset.imagesLoaded=String(ok);",
      "  b.dataset.chartsFound=String(document.querySelectorAll('img.chart').length);",
      "  b.dataset.loadErrors=b.dataset.loadErrors||'0';",
      "  b.dataset.checked='true';",
      "});");

  private final StringBuilder body = new StringBuilder();
  private int charts;

  /** Text safe inside HTML elements and quoted attributes. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder s = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> s.append("&amp;");
        case '<' -> s.append("&lt;");
        case '>' -> s.append("&gt;");
        case '"' -> s.append("&quot;");
        case '\'' -> s.append("&#39;");
        default -> s.append(c);
      }
    }
    return s.toString();
  }

  HtmlPage heading(int level, String id, String text) {
    body.append("<h").append(level);
    if (id != null) {
      body.append(" id=\"").append(escape(id)).append('"');
    }
    body.append('>').append(escape(text)).append("</h").append(level).append(">\n");
    return this;
  }

  HtmlPage paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  HtmlPage note(String text) {
    body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A visible notice that a section has no data, and how to produce it. */
  HtmlPage missing(String text) {
    body.append("<p class=\"missing\">").append(escape(text)).append("</p>\n");
    return this;
  }

  HtmlPage chart(Charts.Chart chart) {
    charts++;
    body.append("<img class=\"chart\" id=\"chart-").append(escape(chart.id()))
        .append("\" alt=\"").append(escape(chart.title()))
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(chart.png())).append("\">\n");
    return this;
  }

  /** A table; cells that are numbers are right-aligned. */
  HtmlPage table(List<String> header, List<List<String>> rows) {
    body.append("<table><thead><tr>");
    header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
    body.append("</tr></thead><tbody>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (String cell : row) {
        boolean numeric = cell != null && cell.matches("-?[0-9][0-9,.]*(e-?[0-9]+)?%?");
        body.append(numeric ? "<td class=\"n\">" : "<td>").append(escape(cell)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</tbody></table>\n");
    return this;
  }

  HtmlPage navigation(List<String[]> anchorsAndTitles) {
    body.append("<nav>");
    for (String[] link : anchorsAndTitles) {
      body.append("<a href=\"#").append(escape(link[0])).append("\">").append(escape(link[1]))
          .append("</a>");
    }
    body.append("</nav>\n");
    return this;
  }

  int chartCount() {
    return charts;
  }

  /** The whole document. */
  String render(String title) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        + "img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>" + escape(title) + "</title>\n<style>\n" + STYLE + "\n</style>\n"
        + "<script>\n" + CHECK_SCRIPT + "\n</script>\n</head>\n"
        + "<body data-charts-expected=\"" + charts + "\">\n" + body + "</body>\n</html>\n";
  }
}
