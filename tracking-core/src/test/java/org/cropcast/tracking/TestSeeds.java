package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.random.RandomGenerator;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class TestSeeds {
    private static double[] draw(RandomGenerator random) {
        return DoubleStream.generate(random::nextDouble).limit(5).toArray();
    }

    @Test
    void sameMasterAndComponentGiveSameStream() {
        assertThat(draw(new Seeds(42).forComponent("cv"))).isEqualTo(draw(new Seeds(42).forComponent("cv")));
    }

    @Test
    void componentsAreIndependent() {
        Seeds seeds = new Seeds(42);
        assertThat(draw(seeds.forComponent("cv"))).isNotEqualTo(draw(seeds.forComponent("bootstrap")));
        assertThat(seeds.seedFor("cv")).isNotEqualTo(seeds.seedFor("bootstrap"));
    }

    @Test
    void drawingFromOneComponentDoesNotShiftAnother() {
        Seeds seeds = new Seeds(7);
        double[] expected = draw(seeds.forComponent("b"));
        RandomGenerator a = seeds.forComponent("a");
        draw(a);
        draw(a);
        assertThat(draw(seeds.forComponent("b"))).isEqualTo(expected);
    }

    @Test
    void masterSeedChangesEveryComponent() {
        assertThat(new Seeds(1).seedFor("cv")).isNotEqualTo(new Seeds(2).seedFor("cv"));
    }
}
