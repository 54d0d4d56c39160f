package org.cropcast.pipeline.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Headless PNG charts with XChart: small multiples composed on one canvas under a common title.
 * Callers must run with {@code java.awt.headless=true} on machines without a display (set here).
 */
public final class Charts {
    private static final int PANEL_WIDTH = 330;
    private static final int PANEL_HEIGHT = 220;
    private static final int TITLE_HEIGHT = 64;
    private static final int LEGEND_LINE = 18;

    static {
        System.setProperty("java.awt.headless", "true");
        // ImageIO would otherwise buffer every PNG it writes to a stream in a temporary file
        // (FileCacheImageOutputStream in java.io.tmpdir) before copying it out; in memory the bytes are the same
        ImageIO.setUseCache(false);
    }

    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Charts() {}

    /** One line or scatter series of a panel. */
    public record Series(String name, double[] x, double[] y, boolean line, Color color) {}

    /** One small chart. */
    public record Panel(String title, String xTitle, String yTitle, List<Series> series) {}

    /** Writes the panels in a grid of {@code columns} under {@code title} as a PNG. */
    public static void writeGrid(Path file, String title, List<Panel> panels, int columns, boolean legend) {
        writeGrid(file, title, panels, columns, legend, PANEL_WIDTH, PANEL_HEIGHT);
    }

    /** As {@link #writeGrid(Path, String, List, int, boolean)} with a panel size in pixels. */
    public static void writeGrid(Path file, String title, List<Panel> panels, int columns, boolean legend,
            int panelWidth, int panelHeight) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                ImageIO.write(render(title, panels, columns, legend, panelWidth, panelHeight), "png", out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The grid of {@link #writeGrid(Path, String, List, int, boolean, int, int)} as PNG bytes. */
    public static byte[] png(String title, List<Panel> panels, int columns, boolean legend, int panelWidth, int panelHeight) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            ImageIO.write(render(title, panels, columns, legend, panelWidth, panelHeight), "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage render(String title, List<Panel> panels, int columns, boolean legend,
            int panelWidth, int panelHeight) {
        int rows = Math.max(1, (panels.size() + columns - 1) / columns);
        int cols = Math.min(columns, Math.max(1, panels.size()));
        int width = cols * panelWidth;
        List<Series> legendSeries = List.of();
        if (legend && !panels.isEmpty()) {
            java.util.Map<String, Series> distinct = new java.util.LinkedHashMap<>();
            for (Panel panel : panels) {
                for (Series series : panel.series()) {
                    distinct.putIfAbsent(series.name(), series);
                }
            }
            legendSeries = List.copyOf(distinct.values());
        }
        List<List<Series>> legendLines = legendLines(legendSeries, width);
        int titleHeight = title.isEmpty() && !legend ? 0 : title.isEmpty() ? TITLE_HEIGHT - 30 : TITLE_HEIGHT;
        titleHeight += Math.max(0, legendLines.size() - 1) * LEGEND_LINE;
        int height = titleHeight + rows * panelHeight;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            int textWidth = g.getFontMetrics().stringWidth(title);
            g.drawString(title, Math.max(8, (width - textWidth) / 2), 28);
            int legendY = titleHeight - 14 - (legendLines.size() - 1) * LEGEND_LINE;
            for (List<Series> line : legendLines) {
                drawLegend(g, line, width, legendY);
                legendY += LEGEND_LINE;
            }
            for (int i = 0; i < panels.size(); i++) {
                XYChart chart = chart(panels.get(i), false, panelWidth, panelHeight);
                Graphics2D cell = (Graphics2D) g.create((i % cols) * panelWidth, titleHeight + (i / cols) * panelHeight,
                        panelWidth, panelHeight);
                try {
                    chart.paint(cell, panelWidth, panelHeight);
                } finally {
                    cell.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The legend's entries in lines that fit {@code width}. */
    private static List<List<Series>> legendLines(List<Series> series, int width) {
        List<List<Series>> lines = new java.util.ArrayList<>();
        if (series.isEmpty()) {
            return lines;
        }
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            java.awt.FontMetrics metrics = g.getFontMetrics(LEGEND_FONT);
            List<Series> line = new java.util.ArrayList<>();
            int used = 0;
            for (Series s : series) {
                int entry = 22 + metrics.stringWidth(s.name()) + 24;
                if (!line.isEmpty() && used + entry > width - 16) {
                    lines.add(line);
                    line = new java.util.ArrayList<>();
                    used = 0;
                }
                line.add(s);
                used += entry;
            }
            lines.add(line);
        } finally {
            g.dispose();
        }
        return lines;
    }

    /** One line of legend entries, centred under the title. */
    private static void drawLegend(Graphics2D g, List<Series> series, int width, int y) {
        g.setFont(LEGEND_FONT);
        int gap = 24;
        int total = 0;
        for (Series s : series) {
            total += 22 + g.getFontMetrics().stringWidth(s.name()) + gap;
        }
        int x = Math.max(8, (width - total + gap) / 2);
        for (Series s : series) {
            g.setColor(s.color());
            if (s.line()) {
                g.setStroke(new BasicStroke(2f));
                g.drawLine(x, y - 4, x + 16, y - 4);
            } else {
                g.fillOval(x + 4, y - 8, 8, 8);
            }
            g.setColor(Color.BLACK);
            g.drawString(s.name(), x + 22, y);
            x += 22 + g.getFontMetrics().stringWidth(s.name()) + gap;
        }
    }

    private static XYChart chart(Panel panel, boolean legend, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(panel.title()).xAxisTitle(panel.xTitle()).yAxisTitle(panel.yTitle()).build();
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        chart.getStyler().setLegendVisible(legend);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        for (Series s : panel.series()) {
            int n = 0;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isNaN(s.x()[i]) && !Double.isNaN(s.y()[i])) {
                    n++;
                }
            }
            if (n == 0) {
                continue;
            }
            double[] x = new double[n];
            double[] y = new double[n];
            n = 0;
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isNaN(s.x()[i]) && !Double.isNaN(s.y()[i])) {
                    x[n] = s.x()[i];
                    y[n++] = s.y()[i];
                }
            }
            XYSeries series = chart.addSeries(s.name(), x, y);
            series.setLineColor(s.color());
            series.setMarkerColor(s.color());
            if (s.line()) {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                series.setMarker(SeriesMarkers.NONE);
                series.setLineStyle(new BasicStroke(2f));
            } else {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                series.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        return chart;
    }
}
