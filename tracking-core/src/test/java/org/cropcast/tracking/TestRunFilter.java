package org.cropcast.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.cropcast.tracking.RunFilter.Absent;
import org.cropcast.tracking.RunFilter.Comparator;
import org.cropcast.tracking.RunFilter.Comparison;
import org.cropcast.tracking.RunFilter.Entity;
import org.cropcast.tracking.RunFilter.Number;
import org.cropcast.tracking.RunFilter.Text;
import org.cropcast.tracking.RunFilter.TextList;
import org.junit.jupiter.api.Test;

/** The grammar and the typed model; what MLflow does with each input is pinned by SqliteSearchCorpusTest. */
class TestRunFilter {
    @Test
    void readsTheIssueExample() {
        RunFilter filter = RunFilter.parse("metrics.x < 1 and params.y = 'z' and tags.t != 'u' and attributes.status = 'FINISHED'");
        assertThat(filter.comparisons()).containsExactly(
                new Comparison(Entity.METRIC, "x", Comparator.LT, Number.of(1L)),
                new Comparison(Entity.PARAM, "y", Comparator.EQ, new Text("z")),
                new Comparison(Entity.TAG, "t", Comparator.NE, new Text("u")),
                new Comparison(Entity.ATTRIBUTE, "status", Comparator.EQ, new Text("FINISHED")));
    }

    @Test
    void keysAreDottedWordsOrQuoted() {
        assertThat(RunFilter.parse("metrics.model.national.rmse < 2").comparisons().get(0).key()).isEqualTo("model.national.rmse");
        assertThat(RunFilter.parse("params.`hindcast/detrend` = 'a'").comparisons().get(0).key()).isEqualTo("hindcast/detrend");
        assertThat(RunFilter.parse("params.\"a b\" = 'a'").comparisons().get(0).key()).isEqualTo("a b");
        assertThat(RunFilter.parse("`params`.'x' = 'a'").comparisons().get(0).key()).isEqualTo("x");
        assertThat(RunFilter.parse("params.and = 'a'").comparisons().get(0).key()).isEqualTo("and");
        assertThat(RunFilter.parse("params.1a = 'a'").comparisons().get(0).key()).isEqualTo("1a");
    }

    @Test
    void aliasesResolveToTheAttributesOwnName() {
        assertThat(RunFilter.parse("created > 5").comparisons().get(0))
                .isEqualTo(new Comparison(Entity.ATTRIBUTE, "start_time", Comparator.GT, Number.of(5L)));
        assertThat(RunFilter.parse("`Run Name` = 'x'").comparisons().get(0).key()).isEqualTo("run_name");
        assertThat(RunFilter.parse("run.status = 'x'").comparisons().get(0).entity()).isEqualTo(Entity.ATTRIBUTE);
    }

    @Test
    void valuesKeepTheirQuotingAsWritten() {
        assertThat(RunFilter.parse("params.y = 'it''s'").comparisons().get(0).operand()).isEqualTo(new Text("it''s"));
        assertThat(RunFilter.parse("params.y IS NOT NULL").comparisons().get(0).operand()).isEqualTo(new Absent());
        assertThat(RunFilter.parse("run_id in ('a', \"b\",)").comparisons().get(0))
                .isEqualTo(new Comparison(Entity.ATTRIBUTE, "run_id", Comparator.IN, new TextList(List.of("a", "b"))));
        assertThat(((Number) RunFilter.parse("metrics.x > -1.5e-3").comparisons().get(0).operand()).value()).isEqualTo(-1.5e-3);
    }

    @Test
    void strayAndsAreIgnoredAsMlflowDoes() {
        assertThat(RunFilter.parse("and metrics.x > 1 and and metrics.y > 2 and").comparisons()).hasSize(2);
        assertThat(RunFilter.parse("   ").isEmpty()).isTrue();
    }

    @Test
    void malformedFiltersNameThePositionOnOneLine() {
        assertInvalid("metrics.x >", 12, "expected a number or a quoted string after '>'");
        assertInvalid("metrics.x > 1 or metrics.y < 2", 15, "only AND joins comparisons");
        assertInvalid("metrics.x > 1 metrics.y", 24, "expected a comparator");
        assertInvalid("metrics.x = 'a'", 1, "metric 'x' is compared with a number");
        assertInvalid("params.y = 'abc", 12, "unterminated string");
        assertInvalid("foo.x = 'a'", 1, "unknown entity type 'foo'");
        assertInvalid("attributes.status IN ('A')", 1, "only attributes.run_id");
        assertInvalid("params.a-b = 'x'", 9, "unexpected character '-'");
        assertInvalid("params.x LIKE 'a' ;", 19, "unexpected character ';'");
        assertInvalid("metrics.x IS NULL", 1, "comparator 'IS NULL' is not valid for metric 'x'");
        assertInvalid("params.x\n= ", 12, "expected a number or a quoted string");
    }

    @Test
    void orderBy() {
        assertThat(RunOrder.parse("metrics.rmse DESC")).isEqualTo(new RunOrder("metrics.rmse DESC", Entity.METRIC, "rmse", false));
        assertThat(RunOrder.parse("params.`a/b`")).isEqualTo(new RunOrder("params.`a/b`", Entity.PARAM, "a/b", true));
        assertThat(RunOrder.parse("created asc").key()).isEqualTo("start_time");
        assertThatThrownBy(() -> RunOrder.parse("metrics.rmse SIDEWAYS"))
                .hasMessage("order-by \"metrics.rmse SIDEWAYS\" at position 14: expected ASC, DESC or the end, found 'SIDEWAYS'");
        assertThatThrownBy(() -> RunOrder.parse("`run name`")).hasMessageContaining("unknown attribute 'run name'");
        assertThatThrownBy(() -> RunOrder.parse("datasets.name")).hasMessageContaining("cannot be ordered by a dataset");
    }

    @Test
    void comparisonsValidateThemselves() {
        assertThatThrownBy(() -> new Comparison(Entity.METRIC, "x", Comparator.LIKE, new Text("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid for metric");
        assertThatThrownBy(() -> new Comparison(Entity.ATTRIBUTE, "created", Comparator.GT, Number.of(1L)))
                .hasMessageContaining("own name");
        assertThatThrownBy(() -> new TextList(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void likeMatchesAsSql() {
        assertThat(RunMatcher.like("linear", "lin%")).isTrue();
        assertThat(RunMatcher.like("linear", "%ea_")).isTrue();
        assertThat(RunMatcher.like("linear", "_inear%")).isTrue();
        assertThat(RunMatcher.like("Linear", "lin%")).isFalse();
        assertThat(RunMatcher.like("a%b", "a\\%b")).isFalse();
        assertThat(RunMatcher.like("", "%")).isTrue();
        assertThat(RunMatcher.like("é", "_")).isTrue();
    }

    private static void assertInvalid(String filter, int position, String problem) {
        assertThatThrownBy(() -> RunFilter.parse(filter))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(TrackingErrorCode.INVALID_FILTER);
                    assertThat(e.getMessage()).doesNotContain("\n").contains("at position " + position + ": ").contains(problem);
                });
    }
}
