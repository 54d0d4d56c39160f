package org.cropcast.pipeline.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cropcast.pipeline.errors.PipelineErrorCode;
import org.cropcast.tracking.CropcastException;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Renders PNGs on background threads (one per available processor) while the caller keeps
 * fitting; with more than one thread the files are saved in any order.
 * The first chart of a JVM is slow (fonts, Java2D start-up), so {@link #warmUp()} renders a tiny
 * chart off-screen as soon as a stage starts. {@link #awaitAll()} waits for every task and rethrows
 * the first failure; {@link #close()} stops the thread.
 */
public final class PlotQueue implements AutoCloseable {
    private final ExecutorService executor = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), runnable -> {
                Thread thread = new Thread(runnable, "cropcast-plots");
                thread.setDaemon(true);
                return thread;
            });
    private final List<Future<?>> pending = new ArrayList<>();

    public void warmUp() {
        submit(() -> {
            XYChart chart = new XYChartBuilder().width(120).height(80).title("warm-up").xAxisTitle("x").yAxisTitle("y").build();
            chart.addSeries("s", new double[] {0, 1}, new double[] {0, 1});
            BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = image.createGraphics();
            try {
                chart.paint(g, 120, 80);
            } finally {
                g.dispose();
            }
        });
    }

    public synchronized void submit(Runnable task) {
        pending.add(executor.submit(task));
    }

    public void awaitAll() {
        List<Future<?>> futures;
        synchronized (this) {
            futures = new ArrayList<>(pending);
            pending.clear();
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "interrupted while writing plots", e);
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new CropcastException(PipelineErrorCode.OUTPUT_FAILURE, "a plot failed: " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
