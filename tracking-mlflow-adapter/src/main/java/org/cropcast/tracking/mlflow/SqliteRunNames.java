package org.cropcast.tracking.mlflow;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Run names for runs created without one, in the form MLflow generates
 * ({@code mlflow/utils/name_utils.py}: predicate-noun-NNN, at most 20 characters).
 */
final class SqliteRunNames {
    private static final List<String> PREDICATES = List.of("able", "bold", "brave", "calm", "clean", "crisp", "eager",
            "fair", "gentle", "keen", "kind", "lucid", "merry", "neat", "quiet", "rare", "sharp", "steady", "swift", "wise");
    private static final List<String> NOUNS = List.of("ant", "bass", "crow", "deer", "eel", "finch", "fox", "gnu", "hare",
            "hawk", "lark", "mole", "moth", "owl", "ram", "seal", "slug", "toad", "wasp", "wren");

    private SqliteRunNames() {}

    static String generate(RandomGenerator random) {
        return PREDICATES.get(random.nextInt(PREDICATES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size())) + "-"
                + random.nextInt(1000);
    }
}
