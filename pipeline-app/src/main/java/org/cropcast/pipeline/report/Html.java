package org.cropcast.pipeline.report;

import java.awt.Color;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The building blocks of the HTML reports, on jsoup's DOM: text and attribute values go through
 * {@link Element#text} and {@link Element#attr}, which the serialiser escapes, so names from the
 * data (regions, experiments, issues) cannot inject markup. The only raw content is this class's
 * own style sheet and the base64 of PNGs.
 */
final class Html {
    /** Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
    static final Color BLACK = new Color(0, 0, 0);
    static final Color ORANGE = new Color(230, 159, 0);
    static final Color SKY_BLUE = new Color(86, 180, 233);
    static final Color GREEN = new Color(0, 158, 115);
    static final Color YELLOW = new Color(240, 228, 66);
    static final Color BLUE = new Color(0, 114, 178);
    static final Color VERMILLION = new Color(213, 94, 0);
    static final Color PURPLE = new Color(204, 121, 167);
    /** Colours of the reference issues, in turn (black, blue and orange are observed, model and trend). */
    static final List<Color> REFERENCES = List.of(VERMILLION, GREEN, PURPLE, SKY_BLUE, YELLOW);

    private static final String CSS = String.join("\n",
            "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:0 auto;max-width:1280px;padding:0 16px 40px;"
                    + "color:#111;background:#fff;line-height:1.4}",
            "h1{font-size:1.5em;margin:18px 0 4px}h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #ccc}"
                    + "h3{font-size:1.05em;margin:18px 0 6px}",
            "p.meta{color:#444;margin:2px 0}",
            ".scroll{overflow-x:auto;max-width:100%}",
            "table{border-collapse:collapse;margin:6px 0 12px;font-size:0.9em}",
            "th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;white-space:nowrap}",
            "th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}",
            "caption{text-align:left;font-weight:bold;padding:4px 0}",
            "img.chart{max-width:100%;height:auto;display:block;margin:6px 0}",
            ".pair{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}",
            ".pair>div:first-child{flex:0 1 600px;min-width:0}",
            ".pair>.scroll{flex:1 1 360px;max-width:none;max-height:600px;overflow:auto}",
            "table.heat td{padding:2px 2px;font-size:0.72em;text-align:center;min-width:30px}",
            "table.heat th{font-size:0.75em;padding:2px 3px}",
            ".bar{display:inline-block;height:10px;vertical-align:middle}",
            ".legend{font-size:0.85em;color:#333}",
            ".swatch{display:inline-block;width:24px;height:12px;vertical-align:middle;border:1px solid #999}",
            "ul.links{columns:3 220px;font-size:0.9em}");

    private Html() {}

    /** An empty report page titled {@code title}: UTF-8, a viewport for laptops and phones, the style sheet inline. */
    static Document page(String title) {
        Document doc = Document.createShell("");
        doc.outputSettings().charset("UTF-8").prettyPrint(false);
        doc.selectFirst("html").attr("lang", "en");
        doc.head().appendElement("meta").attr("charset", "utf-8");
        doc.head().appendElement("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
        doc.title(title);
        doc.head().appendElement("style").appendChild(new DataNode(CSS));
        doc.body().appendElement("h1").text(title);
        return doc;
    }

    static Element section(Element parent, String id, String title) {
        Element section = parent.appendElement("section").attr("id", id);
        section.appendElement("h2").text(title);
        return section;
    }

    /** A chart beside its table, wrapping below it on a narrow window. */
    static Element pair(Element parent) {
        return parent.appendElement("div").addClass("pair");
    }

    static Element paragraph(Element parent, String text) {
        return parent.appendElement("p").text(text);
    }

    /** A table with a caption and a header row; rows go into its tbody. */
    static Element table(Element parent, String cssClass, String caption, List<String> headers) {
        Element table = parent.appendElement("div").addClass("scroll").appendElement("table");
        if (!cssClass.isEmpty()) {
            table.addClass(cssClass);
        }
        if (!caption.isEmpty()) {
            table.appendElement("caption").text(caption);
        }
        Element head = table.appendElement("thead").appendElement("tr");
        for (String header : headers) {
            head.appendElement("th").attr("scope", "col").text(header);
        }
        table.appendElement("tbody");
        return table;
    }

    /** A body row: the first cell is a row header, the rest numbers (right-aligned) unless {@code textCells} says so. */
    static Element row(Element table, int textCells, List<String> cells) {
        Element tr = table.selectFirst("tbody").appendElement("tr");
        for (int i = 0; i < cells.size(); i++) {
            Element cell = tr.appendElement(i == 0 ? "th" : "td").text(cells.get(i));
            if (i == 0) {
                cell.attr("scope", "row");
            } else if (i >= textCells) {
                cell.addClass("num");
            }
        }
        return tr;
    }

    /** A PNG chart inline, as a data URI. */
    static Element image(Element parent, byte[] png, String alt) {
        return parent.appendElement("img").addClass("chart").attr("alt", alt)
                .attr("src", "data:image/png;base64," + Base64.getEncoder().encodeToString(png));
    }

    static String hex(Color color) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", color.getRed(), color.getGreen(), color.getBlue());
    }

    /**
     * A diverging colour for a signed value in [-scale, scale]: Okabe-Ito blue (below zero, the
     * model under-predicts) through white to vermillion (above zero), readable with the common
     * colour-vision deficiencies. NaN is light grey.
     */
    static Color diverging(double value, double scale) {
        if (Double.isNaN(value)) {
            return new Color(235, 235, 235);
        }
        double t = scale <= 0 ? 0 : Math.max(-1, Math.min(1, value / scale));
        Color end = t < 0 ? BLUE : VERMILLION;
        double a = Math.abs(t);
        return new Color(mix(255, end.getRed(), a), mix(255, end.getGreen(), a), mix(255, end.getBlue(), a));
    }

    /** Black or white text, whichever reads better on {@code background}. */
    static String textOn(Color background) {
        double luminance = 0.2126 * background.getRed() + 0.7152 * background.getGreen() + 0.0722 * background.getBlue();
        return luminance < 140 ? "#ffffff" : "#000000";
    }

    private static int mix(int from, int to, double a) {
        return (int) Math.round(from + (to - from) * a);
    }
}
