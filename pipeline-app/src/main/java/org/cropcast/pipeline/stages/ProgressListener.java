package org.cropcast.pipeline.stages;

/**
 * Progress of long work (one step per fold). The command line shows a bar on a terminal and plain
 * lines otherwise.
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void start(String task, int totalSteps) {}

        @Override
        public void step(String message) {}

        @Override
        public void finish() {}
    };

    void start(String task, int totalSteps);

    void step(String message);

    void finish();
}
